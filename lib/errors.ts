// One error class for services, workers and drivers; one table maps its codes to HTTP statuses.
// Domain functions return outcomes as values instead; AppError is for the rooms that do I/O.

export const ERROR_STATUS = {
  "bad-input": 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "rate-limited": 429,
  "precondition-failed": 412,
  "archive-refused": 422,
  "precheck-failed": 422,
  "host-key-changed": 502,
  "certificate-changed": 502,
  "appliance-unreachable": 502,
  "appliance-refused": 502,
  "appliance-error": 502,
  timeout: 504,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Codes a worker retries with backoff; every other code fails the step with its words. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(["appliance-unreachable", "timeout"]);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
