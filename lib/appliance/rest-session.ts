// Authenticated JSON calls to the appliance REST API: a password grant, the jwt cached until shortly
// before its `duration` runs out, one re-login on 401, and the appliance's own error words kept.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { ApplianceCredentials } from "./types";
import type { PinnedHttps } from "./https-pinned";
import { readText } from "./rest-body";

const TokenSchema = z.looseObject({ jwt: z.string().min(1), duration: z.number().positive().optional() });
const ErrorBodySchema = z.looseObject({ code: z.unknown().optional(), codeDesc: z.string().optional(), message: z.string().optional() });

export interface CallOptions {
  body?: unknown;
  /** Statuses the caller handles itself instead of getting an AppError (e.g. 404 for "gone"). */
  allowStatus?: number[];
}

export class RestSession {
  private token: { jwt: string; expiresAt: number } | null = null;
  private loggingIn: Promise<string> | null = null;

  constructor(
    private readonly http: PinnedHttps,
    private readonly credentials: ApplianceCredentials,
    readonly timeoutMs: number,
  ) {}

  get where(): string {
    return this.http.where;
  }

  /** Sends an authenticated request and returns the raw response (status checked, body unread). */
  async open(method: string, path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
    let res = await this.sendAuthed(method, path, opts.body, await this.bearer());
    if (res.statusCode === 401) {
      res.resume();
      this.token = null; // expired or revoked early: log in again, once
      res = await this.sendAuthed(method, path, opts.body, await this.bearer());
    }
    const status = res.statusCode ?? 0;
    if ((status < 200 || status >= 300) && !opts.allowStatus?.includes(status)) {
      throw await this.errorFrom(res, `${method} ${path}`);
    }
    return res;
  }

  /** An authenticated JSON call, its answer checked against `schema`. */
  async json<T>(method: string, path: string, schema: z.ZodType<T>, opts: CallOptions = {}): Promise<T> {
    const res = await this.open(method, path, opts);
    return this.parse(res, schema, `${method} ${path}`);
  }

  async parse<T>(res: IncomingMessage, schema: z.ZodType<T>, what: string): Promise<T> {
    const text = await readText(res, this.where, this.timeoutMs);
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new AppError("appliance-error", `${this.where}: ${what} answered with something that is not JSON`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new AppError("appliance-error", `${this.where}: ${what} answered in an unexpected shape: ${parsed.error.issues[0]?.message ?? ""}`);
    }
    return parsed.data;
  }

  private sendAuthed(method: string, path: string, body: unknown, jwt: string): Promise<IncomingMessage> {
    const headers: Record<string, string> = { authorization: `Bearer ${jwt}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    return this.http.send({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: this.timeoutMs });
  }

  private async bearer(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.jwt;
    // Concurrent calls share one login instead of each asking for a token.
    this.loggingIn ??= this.login().finally(() => (this.loggingIn = null));
    return this.loggingIn;
  }

  private async login(): Promise<string> {
    const path = "/api/v1/auth/tokens/";
    const res = await this.http.send({
      method: "POST",
      path,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "password", username: this.credentials.restUsername, password: this.credentials.restPassword }),
      timeoutMs: this.timeoutMs,
    });
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw await this.errorFrom(res, "login");
    const t = await this.parse(res, TokenSchema, "login");
    const lifeMs = (t.duration ?? 300) * 1000;
    // Renew a little early so a token never expires between our check and the appliance's.
    this.token = { jwt: t.jwt, expiresAt: Date.now() + lifeMs - Math.min(30_000, lifeMs / 10) };
    return t.jwt;
  }

  private async errorFrom(res: IncomingMessage, what: string): Promise<AppError> {
    const status = res.statusCode ?? 0;
    const text = await readText(res, this.where, this.timeoutMs).catch(() => "");
    let body: z.infer<typeof ErrorBodySchema> = {};
    try {
      body = ErrorBodySchema.parse(JSON.parse(text));
    } catch {
      /* not the appliance's error shape; keep the status and text */
    }
    const words = body.message ?? (text.slice(0, 200) || `HTTP ${status}`);
    const message = `${this.where}: ${what} refused: ${words}${body.codeDesc ? ` (${body.codeDesc})` : ""}`;
    const details = { httpStatus: status, code: body.code, codeDesc: body.codeDesc };
    // Gateways and a locked database answer 502-504 for a while; that is worth a retry, not a verdict.
    if (status === 502 || status === 503 || status === 504) return new AppError("appliance-unreachable", message, details);
    return new AppError("appliance-refused", message, details);
  }
}
