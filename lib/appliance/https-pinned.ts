// HTTPS to one appliance, trusting exactly the pinned certificate: verification stays on, the pinned
// PEM is the only CA, and checkServerIdentity compares the SHA-256 of the presented DER instead of
// the host name (appliances are often reached by IP). TLS sessions are not cached, so every new
// connection is checked again.
import https from "node:https";
import type { IncomingMessage } from "node:http";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { isIP } from "node:net";
import { AppError } from "@/lib/errors";
import type { ApplianceEndpoint, ApplianceTrust } from "./types";
import { certFingerprintOf, normalizeCertFingerprint } from "./fingerprints";
import { abortError, isUnreachableNetworkError } from "./connect-errors";
import { readPresentedCertificate } from "./read-tls-certificate";

const PIN_MISMATCH = "ERR_APPLIANCE_CERT_PIN";

export interface PinnedHttps {
  readonly where: string;
  send(req: PinnedRequest): Promise<IncomingMessage>;
  close(): void;
}

export interface PinnedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Time allowed until the response headers arrive; the body has its own budget (see readBody). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A reused keep-alive socket was already closed by the server. */
class StaleSocket extends Error {}

export function createPinnedHttps(endpoint: ApplianceEndpoint, trust: ApplianceTrust): PinnedHttps {
  const origin = new URL(endpoint.restUrl);
  if (origin.protocol !== "https:") throw new AppError("bad-input", `restUrl must be https: ${endpoint.restUrl}`);
  const host = origin.hostname.replace(/^\[|\]$/g, "");
  const port = Number(origin.port || 443);
  const where = `https ${host}:${port}`;
  const expected = normalizeCertFingerprint(trust.restCertFingerprint);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 4,
    maxCachedSessions: 0,
    rejectUnauthorized: true,
    ...(trust.restCertPem ? { ca: trust.restCertPem } : {}),
    ...(isIP(host) ? {} : { servername: host }),
    checkServerIdentity: (_name: string, cert: PeerCertificate) => {
      const presented = certFingerprintOf(cert.raw);
      if (presented === expected) return undefined;
      return Object.assign(new Error(`certificate ${presented} is not the pinned ${expected}`), { code: PIN_MISMATCH, presented });
    },
  });

  // A kept-alive socket the server closed just as we reused it fails with a reset before the
  // request was read: a read (GET) is then sent again once, on a new socket (Node's documented remedy).
  const send = (req: PinnedRequest): Promise<IncomingMessage> =>
    sendOnce(req).catch((e: unknown) => {
      if (!(e instanceof StaleSocket)) throw e;
      return sendOnce(req);
    });

  const sendOnce = (req: PinnedRequest) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const { signal } = req;
      if (signal?.aborted) return reject(abortError(signal));
      let done = false;
      const r = https.request(
        { host, port, method: req.method, path: req.path, agent, headers: { accept: "application/json", ...req.headers } },
        (res) => {
          done = true;
          cleanup();
          resolve(res);
        },
      );
      const fail = (err: Error) => {
        if (done) return;
        done = true;
        cleanup();
        r.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new AppError("timeout", `${where}: no answer to ${req.method} ${req.path} within ${req.timeoutMs} ms`)),
        req.timeoutMs,
      );
      const onAbort = () => fail(abortError(signal!));
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      r.on("error", (err) => {
        if (done) return;
        const code = (err as NodeJS.ErrnoException).code;
        if (r.reusedSocket && req.method === "GET" && (code === "ECONNRESET" || code === "EPIPE")) return fail(new StaleSocket());
        void tlsErrorToAppError(err, where, host, port, expected, Boolean(trust.restCertPem)).then(fail);
      });
      // Nothing (not even the login body) is written until this socket's peer passed the pin:
      // a reused socket already did; a new one must finish its verified handshake first.
      r.once("socket", (socket) => {
        const t = socket as TLSSocket;
        if (t.authorized) r.end(req.body);
        else t.once("secureConnect", () => (t.authorized ? r.end(req.body) : fail(new AppError("certificate-changed", `${where}: unverified TLS peer`))));
      });
    });

  return { where, send, close: () => agent.destroy() };
}

// Chain verification fails before checkServerIdentity runs when a different self-signed certificate
// is presented; read it (without trusting it) so the message can name what the appliance presented.
const CHAIN_ERRORS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT", "CERT_SIGNATURE_FAILURE", "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID", "ERR_TLS_CERT_ALTNAME_INVALID",
]);

async function tlsErrorToAppError(err: Error, where: string, host: string, port: number, expected: string, hasPem: boolean): Promise<AppError> {
  const code = (err as { code?: unknown }).code;
  if (code === PIN_MISMATCH) return certificateChanged(where, expected, (err as unknown as { presented: string }).presented);
  if (typeof code === "string" && CHAIN_ERRORS.has(code)) {
    const presented = await readPresentedCertificate(host, port, 5_000).catch(() => null);
    if (presented && presented.fingerprint === expected && !hasPem) {
      return new AppError("certificate-changed", `${where}: the certificate matches the pinned fingerprint, but its PEM is not stored and no system CA vouches for it (${code}); an admin must accept it again so it can be pinned`, { expected, presented: presented.fingerprint, reason: code });
    }
    if (presented && presented.fingerprint === expected) {
      return new AppError("certificate-changed", `${where}: the pinned certificate no longer verifies (${code}, valid to ${presented.validTo}); an admin must renew and accept it`, { expected, presented: presented.fingerprint, reason: code });
    }
    return certificateChanged(where, expected, presented?.fingerprint ?? `unreadable (${code})`);
  }
  if (isUnreachableNetworkError(err) || /socket hang up/i.test(err.message)) {
    return new AppError("appliance-unreachable", `${where}: ${err.message}`, { cause: String(code ?? "") });
  }
  return new AppError("appliance-error", `${where}: ${err.message}`);
}

function certificateChanged(where: string, expected: string, presented: string): AppError {
  return new AppError(
    "certificate-changed",
    `${where}: the appliance presented certificate ${presented}, but ${expected} is pinned. ` +
      "Nothing was sent; an admin must accept the new certificate before any work continues on this appliance.",
    { expected, presented },
  );
}
