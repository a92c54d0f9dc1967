// What benchmarks 4 (live updates) and 5 (fleet view) share: a database of their own, a signed-in
// session cookie, headless Chromium as the e2e journeys launch it, Server-Sent Events read by a
// plain Node client, and percentiles.
import fs from "node:fs";
import http from "node:http";
import pg from "pg";
import { Redis } from "ioredis";
import { chromium, type Browser } from "@playwright/test";
import { SESSION_COOKIE } from "@/lib/auth/sessions";

/** Nearest-rank percentile (p in 0..100) of unsorted numbers; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary { count: number; p50: number; p95: number; p99: number; max: number }

export function summarize(values: readonly number[]): Summary {
  return { count: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: values.length ? Math.max(...values) : Number.NaN };
}

export function describeSummary(s: Summary, unit = "ms"): string {
  const f = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : "n/a");
  return `p50 ${f(s.p50)} ${unit}, p95 ${f(s.p95)} ${unit}, p99 ${f(s.p99)} ${unit}, max ${f(s.max)} ${unit} over ${s.count}`;
}

/** Drops a benchmark's own database (FORCE: the stack's processes may still hold a connection). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Removes what a benchmark's queues left in Redis (every key under its own queue prefix). */
export async function removeQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** Signs in through the console's own route and returns the session cookie's value. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json", origin: url }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`signing in as ${email} at ${url} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`signing in as ${email} answered ${res.status} without a ${SESSION_COOKIE} cookie`);
  return cookie.slice(SESSION_COOKIE.length + 1).split(";")[0]!;
}

/** Headless Chromium with the arguments of playwright.config.ts. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

export interface SseEvent { id: number | null; event: string; data: string; receivedAt: number }

/** Splits a Server-Sent Events text into complete blocks; returns them and the unfinished rest. */
export function parseSseBlocks(text: string, receivedAt: number): { events: SseEvent[]; rest: string } {
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let id: number | null = null;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = Number(value);
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length) events.push({ id, event, data: data.join("\n"), receivedAt });
  }
  return { events, rest };
}

export interface SseClient {
  /** Resolves when the server's first bytes (the retry line) arrive: the stream is live. */
  opened: Promise<void>;
  close(): void;
}

/**
 * One viewer as a plain HTTP/1.1 client on its own connection (a browser would share six per host
 * among its tabs), reading the stream as it comes and stamping each event with its arrival time.
 */
export function openSseClient(url: string, cookie: string, onEvent: (e: SseEvent) => void, onEnd?: (why: string) => void): SseClient {
  let opened!: () => void;
  let failed!: (e: Error) => void;
  const openedPromise = new Promise<void>((resolve, reject) => { opened = resolve; failed = reject; });
  const req = http.get(url, { agent: false, headers: { accept: "text/event-stream", cookie: `${SESSION_COOKIE}=${cookie}` } }, (res) => {
    if (res.statusCode !== 200) {
      failed(new Error(`GET ${url} answered ${res.statusCode}`));
      res.resume();
      return;
    }
    res.setEncoding("utf8");
    let text = "";
    res.on("data", (chunk: string) => {
      const receivedAt = Date.now();
      opened();
      text += chunk;
      const parsed = parseSseBlocks(text, receivedAt);
      text = parsed.rest;
      for (const e of parsed.events) onEvent(e);
    });
    res.on("end", () => onEnd?.("the server ended the stream"));
    res.on("error", (e) => onEnd?.(e.message));
  });
  req.on("error", (e) => { failed(e); onEnd?.(e.message); });
  return { opened: openedPromise, close: () => req.destroy() };
}

/** How busy the machine's cores are from now until the returned function is called (0..1, from /proc/stat). */
export function machineBusy(): () => number {
  const read = () => {
    const [, ...ticks] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the cores' spare time.
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, spare: ticks[3]! + ticks[4]! };
  };
  const start = read();
  return () => {
    const end = read();
    const total = end.total - start.total;
    return total > 0 ? 1 - (end.spare - start.spare) / total : Number.NaN;
  };
}
