// The chaos suite's own processes: a private redis-server and real worker processes it may kill
// at will, so no fault it injects ever reaches anybody else's services.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { portAnswers } from "@/scripts/lib/services";
import { startChild, waitForLine, type Child } from "@/scripts/lib/children";

const root = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForPort(port: number, up: boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await portAnswers("127.0.0.1", port, 200)) === up) return;
    await sleep(50);
  }
  throw new Error(`${what} on port ${port} did not ${up ? "start" : "stop"} within 10 s`);
}

export interface PrivateRedis {
  url: string;
  /** Kills it (SIGKILL: nothing saved), waits `downMs`, starts it again on the same port and data dir. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(dir: string, port: number): Promise<PrivateRedis> {
  fs.mkdirSync(dir, { recursive: true });
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitForPort(port, true, "redis-server");
  };
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs) {
      await kill();
      await sleep(downMs);
      await launch();
    },
    stop: kill,
  };
}

export interface WorkerProcess {
  child: Child;
  /** kill -9: no cleanup, no lease release, as a crash or an OOM kill. */
  kill(): Promise<void>;
}

/** A real `workers/main.ts` process with the environment of this one (database, Redis, key, prefix). */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, name = "worker"): Promise<WorkerProcess> {
  // node itself, not the tsx wrapper: a SIGKILL must hit the worker, not orphan it.
  const child = startChild(name, process.execPath, ["--import", "tsx", path.join(root, "workers/main.ts")], env, { quiet: true });
  await waitForLine(child, /^worker ready$/, 60_000);
  return {
    child,
    async kill() {
      const p = child.process;
      if (p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once("exit", r));
      p.kill("SIGKILL");
      await exited;
    },
  };
}

/** The environment a chaos worker gets: a short lease and a fast reconciler so take-overs happen within a run. */
export function workerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, FLEET_LEASE_MS: "3000", FLEET_RECONCILE_MS: "500", LOG_LEVEL: "error", ...extra };
}
