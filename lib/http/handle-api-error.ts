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
  if (e instanceof SyntaxError) {
    return Response.json({ error: { code: "bad-input", message: `The request body is not valid JSON: ${e.message}` } } satisfies ApiErrorBody, { status: 400 });
  }
  // An id that is not even a UUID cannot name anything: not found, like an unknown one.
  const text = e instanceof Error ? e.message : "";
  if ((typeof e === "object" && e !== null && (e as { code?: string }).code === "P2023") || /invalid input syntax for type uuid|Error creating UUID/i.test(text)) {
    return Response.json({ error: { code: "not-found", message: "Not found: that id is not a valid identifier." } } satisfies ApiErrorBody, { status: 404 });
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
