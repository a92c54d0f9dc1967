// A real HTTP receiver for webhook tests (integration and browser): node:http on a free loopback
// port that records every call and answers by path. `/fail-<n>/...` answers 500 to its first n
// calls then 200; `/down/...` always 503; anything else 200.
import crypto from "node:crypto";
import http from "node:http";
import type net from "node:net";

export interface ReceivedCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  calls: ReceivedCall[];
  /** Calls to one path (e.g. "/json"), in the order they arrived. */
  callsTo(path: string): ReceivedCall[];
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // Recorded as text; the test decides whether that is wrong.
      }
      calls.push({ path, headers: req.headers, body, json, at: Date.now() });
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      const failFirst = /^\/fail-(\d+)\b/.exec(path);
      const status = path.startsWith("/down") ? 503 : failFirst && n <= Number(failFirst[1]) ? 500 : 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "receiver says no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (path) => calls.filter((c) => c.path === path),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** True when the call's X-Fleet-Signature is the HMAC-SHA256 of its exact body under `secret`. */
export function hasValidSignature(call: ReceivedCall, secret: string): boolean {
  const header = call.headers["x-fleet-signature"];
  const expected = `sha256=${crypto.createHmac("sha256", secret).update(call.body).digest("hex")}`;
  return typeof header === "string" && header.length === expected.length && crypto.timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}
