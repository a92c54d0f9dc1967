// Every error a route meets becomes a response here, in one place.
import { ZodError } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log/logger";

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function toErrorResponse(e: unknown): Response {
  if (isAppError(e)) {
    return Response.json({ error: { code: e.code, message: e.message, details: e.details } } satisfies ApiErrorBody, { status: e.status });
  }
  if (e instanceof ZodError) {
    const message = e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
    return Response.json({ error: { code: "bad-input", message, details: e.issues } } satisfies ApiErrorBody, { status: 400 });
  }
  if (typeof e === "object" && e !== null && (e as { code?: string }).code === "P2025") {
    return Response.json({ error: { code: "not-found", message: "Not found: it does not exist or was removed." } } satisfies ApiErrorBody, { status: 404 });
  }
  logger.error({ err: e }, "unhandled error in route");
  return Response.json({ error: { code: "internal", message: "Internal error; the server log has the details." } } satisfies ApiErrorBody, { status: 500 });
}

export function badInput(message: string): AppError {
  return new AppError("bad-input", message);
}
