// What every end-to-end integration test of plans needs: its own database and queue prefix, an
// admin, the test vendor key trusted, signed archives uploaded through the real intake, and the
// real worker loop running in-process.
import fs from "node:fs";
import path from "node:path";
import { createTestEnv, type TestEnv } from "@/lib/testing/test-env";
import { startInProcessWorker } from "@/lib/testing/in-process-worker";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { makeSignedArchive, keyPath, type MakeSignedArchiveOptions } from "@/simulator/archives";
import type { Actor } from "@/lib/audit/append-audit-event";
import { decideWindow, requestWindow } from "@/lib/windows/windows";

export interface ConsoleFixture {
  env: TestEnv;
  actor: Actor;
  /** Requests a window open now for the plan and has a second person, an approver, approve it. */
  openWindow(planId: string, minutes?: number): Promise<string>;
  upload(version: string, opts?: Partial<MakeSignedArchiveOptions> & { mutate?: (file: string) => Promise<void> }): ReturnType<typeof receiveArchive>;
  stop(): Promise<void>;
}

export async function startConsoleFixture(label: string, opts: { deadlineScale?: number; archives?: string[]; worker?: boolean } = {}): Promise<ConsoleFixture> {
  const env = await createTestEnv(label, { FLEET_DEADLINE_SCALE: String(opts.deadlineScale ?? 0.02) });
  const admin = await env.db.user.create({ data: { email: "admin@test.local", name: "Admin", role: "admin" } });
  const actor: Actor = { type: "user", id: admin.id, name: admin.email };
  await addVendorKey(env.db, actor, fs.readFileSync(keyPath("test-vendor", "pub"), "utf8"));
  const dir = path.join(env.dataDir, "made");
  fs.mkdirSync(dir, { recursive: true });
  const upload: ConsoleFixture["upload"] = async (version, o = {}) => {
    const { mutate, ...make } = o;
    const made = await makeSignedArchive({ dir, version, sizeBytes: 128 * 1024, ...make });
    if (mutate) await mutate(made.path);
    return receiveArchive(env.db, actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });
  };
  for (const version of opts.archives ?? []) {
    const row = await upload(version);
    if (row.status !== "verified") throw new Error(`fixture archive ${version} was refused: ${row.refusalReason}`);
  }
  const approver = await env.db.user.create({ data: { email: "approver@test.local", name: "Approver", role: "approver" } });
  const openWindow: ConsoleFixture["openWindow"] = async (planId, minutes = 60) => {
    const w = await requestWindow(env.db, actor, { planId, startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + minutes * 60_000), reason: "test window" });
    await decideWindow(env.db, { type: "user", id: approver.id, name: approver.email, role: "approver" }, w.id, { decision: "approve", comment: "ok" });
    return w.id;
  };
  const worker = opts.worker === false ? null : startInProcessWorker(env.db);
  return {
    env, actor, upload, openWindow,
    async stop() {
      await worker?.stop();
      await env.cleanup();
    },
  };
}
