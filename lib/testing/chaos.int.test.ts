// The chaos suite, CI-sized: real worker processes killed with SIGKILL mid-upload and while
// ks_upgrade.sh runs, and a private Redis killed and restarted mid-plan. Every plan must end
// truthfully, no script may start twice for one hop, and the audit trail must have every step.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { freePort } from "@/scripts/lib/services";
import { startPrivateRedis, startWorkerProcess, workerEnv, type PrivateRedis } from "@/scripts/chaos/processes";
import { runInjection, type ChaosContext, type Fault } from "@/scripts/chaos/inject";
import { createRng } from "@/scripts/chaos/rng";
import { getStepQueue } from "@/lib/queue/step-queue";

const ARCHIVE_BYTES = 4 * 1024 * 1024;
let f: ConsoleFixture;
let redis: PrivateRedis;
let ctx: ChaosContext;

beforeAll(async () => {
  redis = await startPrivateRedis(fs.mkdtempSync(path.join(os.tmpdir(), "chaos-redis-")), await freePort());
  process.env.REDIS_URL = redis.url;
  f = await startConsoleFixture("chaos", { deadlineScale: 0.01, worker: false });
  const archive = await f.upload("2.11.0+13003", { sizeBytes: ARCHIVE_BYTES });
  expect(archive.status).toBe("verified");
  const env = workerEnv();
  ctx = { db: f.env.db, actor: f.actor, dataDir: f.env.dataDir, workerEnv: env, redis, workers: [await startWorkerProcess(env)], rng: createRng(7), from: "2.10.0+12807", to: "2.11.0+13003", archiveBytes: ARCHIVE_BYTES, say: () => {} };
});

afterAll(async () => {
  await Promise.all(ctx?.workers.map((w) => w.child.stop()) ?? []);
  await getStepQueue().close();
  await f?.stop();
  await redis?.stop();
});

describe("chaos", () => {
  it.each<Fault>(["kill-upload", "kill-script", "redis-restart"])("%s: the plan ends truthfully and every invariant holds", async (fault) => {
    const result = await runInjection(ctx, fault, 1);
    expect(result.injected).toBe(true);
    expect(result.violations).toEqual([]);
    // A worker killed while ks_upgrade.sh runs leaves an unknown outcome: the step refuses to run it
    // again and the plan fails for a person to decide (workers/steps/firmware-once.ts); never a second start.
    const allowed = fault === "kill-script" ? /^(succeeded|failed truthfully, left for a person \(run-upgrade: ks_upgrade\.sh was started)/ : /^(succeeded|.*then succeeded after resume)$/;
    expect(result.outcome).toMatch(allowed);
  });
});
