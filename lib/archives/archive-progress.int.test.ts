// What an uploader polls while it waits: bytes received (and checked), then the verdict,
// written to the real Redis by the real intake. Redis MONITOR shows every write, in order.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { createRedis } from "@/lib/queue/connection";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { ArchiveProgressSchema, createProgressReporter, readArchiveProgress, type ArchiveProgress } from "@/lib/archives/archive-progress";
import { flipByte, makeSignedArchive } from "@/simulator/archives";

const MiB = 1024 * 1024;
let f: ConsoleFixture;
const freshDir = () => fs.mkdtempSync(path.join(f.env.dataDir, "made-"));

beforeAll(async () => {
  f = await startConsoleFixture("archive-progress", { worker: false });
});
afterAll(async () => {
  await f?.stop();
});

/** Every progress record written under `ticket` while `run` runs, as Redis executed them. */
async function recordWrites(ticket: string, run: () => Promise<unknown>): Promise<ArchiveProgress[]> {
  const monitor = await createRedis("subscriber").monitor();
  const writes: ArchiveProgress[] = [];
  monitor.on("monitor", (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === "set" && args[1]?.endsWith(`:archive-progress:${ticket}`)) writes.push(ArchiveProgressSchema.parse(JSON.parse(args[2]!)));
  });
  try {
    await run();
    // MONITOR reports a command after it ran: wait for the verdict's write to be reported too.
    for (let i = 0; i < 200 && !writes.some((w) => w.phase === "verified" || w.phase === "refused"); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    monitor.disconnect();
  }
  return writes;
}

describe("archive progress", () => {
  it("reports bytes received (each checked as it arrives), then the wait for the verdict, then verified", async () => {
    const archive = await makeSignedArchive({ dir: freshDir(), version: "2.12.0+14000", sizeBytes: 24 * MiB });
    const ticket = crypto.randomUUID();
    let row: Awaited<ReturnType<typeof receiveArchive>> | undefined;
    const writes = await recordWrites(ticket, async () => {
      row = await receiveArchive(f.env.db, f.actor, { fileName: archive.fileName, body: fs.createReadStream(archive.path, { highWaterMark: MiB }), declaredBytes: archive.sizeBytes, ticket });
    });
    expect(row!.status).toBe("verified");
    const phases = writes.map((w) => w.phase);
    expect(phases[0]).toBe("receiving");
    expect(phases.at(-1)).toBe("verified");
    // The phases come in order, each once: receiving..., verifying, verified.
    expect([...new Set(phases)]).toEqual(["receiving", "verifying", "verified"]);
    const receiving = writes.filter((w) => w.phase === "receiving");
    expect(receiving[0]!.done).toBeLessThan(archive.sizeBytes);
    expect(receiving.map((w) => w.done)).toEqual(receiving.map((w) => w.done).sort((a, b) => a - b));
    expect(receiving.at(-1)!.done).toBe(archive.sizeBytes);
    expect(receiving.every((w) => w.total === archive.sizeBytes && w.archiveId === row!.id)).toBe(true);
    // Throttled: far fewer writes than the 24 chunks read, yet the last bytes are always there.
    expect(receiving.length).toBeLessThan(24);
    // Verification kept pace with the upload: once the last byte is in, only the verdict is awaited.
    const verifying = writes.filter((w) => w.phase === "verifying");
    expect(verifying).toHaveLength(1);
    expect(verifying[0]).toMatchObject({ archiveId: row!.id, done: archive.sizeBytes, total: archive.sizeBytes });
    const last = await readArchiveProgress(ticket);
    expect(last).toMatchObject({ archiveId: row!.id, phase: "verified", done: archive.sizeBytes, reason: null });
    expect(last!.startedAt).toBe(verifying[0]!.startedAt);
  });

  it("ends with the refusal's reason when the signature does not verify", async () => {
    const archive = await makeSignedArchive({ dir: freshDir(), version: "2.12.1+14100", sizeBytes: 2 * MiB });
    await flipByte(archive.path, archive.sizeBytes - 40);
    const ticket = crypto.randomUUID();
    const row = await receiveArchive(f.env.db, f.actor, { fileName: archive.fileName, body: fs.createReadStream(archive.path), ticket });
    expect(row.status).toBe("refused");
    const last = await readArchiveProgress(ticket);
    expect(last?.phase).toBe("refused");
    expect(last?.reason).toBe(row.refusalReason);
    expect(last?.reason).toBeTruthy();
  });

  it("writes at most four records a second within a phase, and always a change of phase", async () => {
    let now = 1_000;
    const ticket = crypto.randomUUID();
    const writes = await recordWrites(ticket, async () => {
      const reporter = createProgressReporter(ticket, "a1", () => now);
      for (const [t, done] of [[0, 1], [100, 2], [200, 3], [260, 4], [300, 5], [520, 6]] as const) {
        now = 1_000 + t;
        reporter.report("verifying", done * MiB, 10 * MiB);
      }
      now += 10;
      reporter.report("refused", 6 * MiB, 10 * MiB, "bad signature");
      await reporter.flush();
    });
    expect(writes.map((w) => [w.phase, w.done / MiB])).toEqual([["verifying", 1], ["verifying", 4], ["verifying", 6], ["refused", 6]]);
    expect(writes.at(-1)!.startedAt).toBe(1_000);
  });

  it("writes nothing without a ticket", async () => {
    const archive = await makeSignedArchive({ dir: freshDir(), version: "2.12.2+14200", sizeBytes: MiB });
    const redis = createRedis("producer");
    const before = await redis.keys(`${f.env.queuePrefix}:archive-progress:*`);
    await receiveArchive(f.env.db, f.actor, { fileName: archive.fileName, body: fs.createReadStream(archive.path) });
    expect(await redis.keys(`${f.env.queuePrefix}:archive-progress:*`)).toEqual(before);
    redis.disconnect();
  });
});
