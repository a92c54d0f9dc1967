// Request and response plumbing of the REST API: bounded JSON bodies, and errors in the
// appliance's shape {"code","codeDesc","message"} (appliance-contract.md).
import type { IncomingMessage } from "node:http";

const MAX_BODY = 1024 * 1024;

export type RestReply =
  | { status: number; json: unknown }
  | { status: number; bytes: Buffer; contentType: string; fileName: string };

const ERRORS = {
  400: { code: 10, codeDesc: "NCERRInvalidParamValue" },
  401: { code: 5, codeDesc: "NCERRUnauthorizedAccess" },
  404: { code: 7, codeDesc: "NCERRResourceNotFound" },
  405: { code: 8, codeDesc: "NCERRMethodNotAllowed" },
  409: { code: 12, codeDesc: "NCERRConflict" },
  413: { code: 10, codeDesc: "NCERRInvalidParamValue" },
  500: { code: 1, codeDesc: "NCERRInternal" },
  503: { code: 11, codeDesc: "NCERRServiceUnavailable" },
} as const;

export type ErrorStatus = keyof typeof ERRORS;

export function errorReply(status: ErrorStatus, message: string): RestReply {
  return { status, json: { ...ERRORS[status], message } };
}

export class HttpError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
  ) {
    super(message);
  }
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new HttpError(400, "request body must be a JSON object");
  return data as Record<string, unknown>;
}

/** `{skip, limit, total, resources}` from query parameters, as every CM list answers. */
export function listReply<T>(items: T[], query: URLSearchParams): RestReply {
  const skip = Math.max(0, Number(query.get("skip") ?? 0) || 0);
  const limit = Math.max(0, Number(query.get("limit") ?? 10) || 10);
  return { status: 200, json: { skip, limit, total: items.length, resources: items.slice(skip, skip + limit) } };
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new HttpError(400, `${field} must be a string`);
  return v;
}

/** A refused core or cluster operation in the appliance's error shape. */
export function refusalReply(r: { status: ErrorStatus; message: string }): RestReply {
  return errorReply(r.status, r.message);
}

export function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new HttpError(400, `${field} must be an integer`);
  return v;
}
