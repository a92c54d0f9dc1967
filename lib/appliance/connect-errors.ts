// One place that turns socket, ssh2 and TLS failures into AppError codes, so workers can decide
// retry (unreachable, timeout) versus stop (refused, changed identity) without reading messages.
import { AppError } from "@/lib/errors";

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EHOSTDOWN", "ENETUNREACH", "ENETDOWN",
  "EPIPE", "ECONNABORTED", "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL", "UND_ERR_SOCKET",
]);

interface ErrorLike {
  message?: string;
  code?: unknown;
  level?: unknown;
}

function describe(err: unknown): ErrorLike {
  return typeof err === "object" && err !== null ? (err as ErrorLike) : { message: String(err) };
}

export function isUnreachableNetworkError(err: unknown): boolean {
  const code = describe(err).code;
  return typeof code === "string" && UNREACHABLE_CODES.has(code);
}

/** `where` names the target, e.g. `ssh 10.0.0.5:22`, and starts every message. */
export function sshErrorToAppError(err: unknown, where: string): AppError {
  if (err instanceof AppError) return err;
  const e = describe(err);
  const msg = e.message ?? "unknown error";
  if (e.level === "client-authentication") {
    return new AppError("appliance-refused", `${where}: the appliance refused our SSH key (${msg})`);
  }
  if (
    isUnreachableNetworkError(err) ||
    e.level === "client-timeout" ||
    e.level === "client-socket" ||
    e.level === "client-dns" ||
    /Connection lost before handshake|No response from server|Not connected|Keepalive timeout/i.test(msg)
  ) {
    return new AppError("appliance-unreachable", `${where}: ${msg}`, { cause: String(e.code ?? e.level ?? "") });
  }
  return new AppError("appliance-error", `${where}: ${msg}`);
}

/** What an aborted operation rejects with: the caller's own reason, or AppError("timeout") for AbortSignal.timeout(). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "TimeoutError") return new AppError("timeout", reason.message);
  return reason instanceof Error ? reason : new AppError("timeout", "operation aborted");
}
