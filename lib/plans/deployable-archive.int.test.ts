// A .tar.gz verified with a detached signature stays in the catalog but never goes to an appliance:
// ks_upgrade.sh takes one file and checks the signature inside it (lib/archives/deployable.ts).
// Real Postgres, Redis and a simulated appliance over SSH and HTTPS; no worker runs, so what is
// queued is what launch put there.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { startEnrolledAppliance, type EnrolledSimulator } from "@/lib/testing/simulated-appliance";
import { receiveArchive } from "@/lib/archives/receive-archive";
import { describePlanOptions } from "@/lib/plans/plan-options";
import { createPlan } from "@/lib/plans/create-plan";
import { confirmBackup } from "@/lib/plans/confirm-backup";
import { launchPlan } from "@/lib/plans/launch-plan";
import { getStepQueue } from "@/lib/queue/step-queue";
import { CreateCampaignSchema } from "@/lib/campaigns/campaign-input";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { setTags } from "@/lib/campaigns/tags";
import { isAppError } from "@/lib/errors";
import { makeSignedArchive } from "@/simulator/archives";
import { createStepContext } from "@/workers/step-context";
import { uploadArchive } from "@/workers/steps/upload-archive";

const TARGET = "2.11.0+13003";
const DETACHED_REASON = /ks_upgrade_2\.11\.0\+13003\.tar\.gz is verified with a detached signature; ks_upgrade\.sh on the appliance checks the signature inside the archive, so it would refuse this file\. Upload the vendor's signed \.tar\.gz\.gpg of 2\.11\.0\+13003\./;

let f: ConsoleFixture;
let appliance: EnrolledSimulator;

/** Uploads a .tar.gz with its detached signature through the real intake. */
async function uploadDetached(version: string) {
  const dir = path.join(f.env.dataDir, "made-detached", String(Date.now()));
  fs.mkdirSync(dir, { recursive: true });
  const made = await makeSignedArchive({ dir, version, sizeBytes: 128 * 1024, format: "detached" });
  const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body: fs.createReadStream(made.path), signature: fs.readFileSync(made.signaturePath!) });
  expect(row.status).toBe("verified");
  expect(row.format).toBe("detached");
  return row;
}

async function refusal(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  f = await startConsoleFixture("deployable", { worker: false });
  appliance = await startEnrolledAppliance(f.env.db, f.env.dataDir, { name: "cm-detached", version: "2.10.0+12807" });
});

afterAll(async () => {
  await appliance?.sim.stop();
  await f?.stop();
});

describe("detached-signature archives are catalog only", () => {
  let detachedId = "";

  it("[U1] plan options do not offer a version whose only archive is detached, and say why", async () => {
    detachedId = (await uploadDetached(TARGET)).id;
    const options = await describePlanOptions(f.env.db, { applianceId: appliance.applianceId, targetVersion: TARGET });
    const standalone = options.methods.find((m) => m.method === "standalone")!;
    expect(standalone.archives).toEqual([]);
    expect(standalone.missing.join(" ")).toMatch(DETACHED_REASON);
  });

  it("[U1] refuses to create a plan with it, through the same error mapper", async () => {
    const e = await refusal(createPlan(f.env.db, f.actor, { applianceId: appliance.applianceId, targetVersion: TARGET }));
    expect(e.status).toBe(412);
    expect(e.message).toMatch(DETACHED_REASON);
    expect(await f.env.db.upgradePlan.count({ where: { applianceId: appliance.applianceId } })).toBe(0);
  });

  it("[U1] a campaign finds the target unplannable, naming the detached archive", async () => {
    await setTags(f.env.db, f.actor, { kind: "appliance", id: appliance.applianceId, tags: ["test=detached"] });
    const c = await createCampaign(f.env.db, f.actor, CreateCampaignSchema.parse({
      name: "detached only", targetVersion: TARGET, selection: { tags: ["test=detached"] },
      waves: { split: { by: "size", size: 4 }, concurrency: 1, soakSeconds: 1, brake: { maxFailures: 1, maxFailurePercent: 100 } },
      distribution: { enabled: false },
    }));
    expect(c.targets).toHaveLength(1);
    expect(c.targets[0]).toMatchObject({ state: "unplannable", reason: expect.stringMatching(DETACHED_REASON) });
  });

  it("[U1] a version with both a detached and a signed .tar.gz.gpg archive uses the .tar.gz.gpg", async () => {
    const signed = await f.upload(TARGET);
    expect(signed.status).toBe("verified");
    await uploadDetached(TARGET); // the newest row of the version is detached again: order must not matter
    const options = await describePlanOptions(f.env.db, { applianceId: appliance.applianceId, targetVersion: TARGET });
    expect(options.methods.find((m) => m.method === "standalone")!.archives).toEqual([{ hop: 1, fileName: `ks_upgrade_${TARGET}.tar.gz.gpg` }]);
    const plan = await createPlan(f.env.db, f.actor, { applianceId: appliance.applianceId, targetVersion: TARGET });
    expect((plan.hops as { archiveId: string }[]).map((h) => h.archiveId)).toEqual([signed.id]);
  });

  describe("a plan that holds a detached archive (made before the rule)", () => {
    let planId = "";
    beforeAll(async () => {
      const plan = await f.env.db.upgradePlan.findFirstOrThrow({ where: { applianceId: appliance.applianceId }, orderBy: { createdAt: "desc" } });
      await confirmBackup(f.env.db, f.actor, plan.id);
      const detached = await f.env.db.archive.findUniqueOrThrow({ where: { id: detachedId } });
      const hops = (plan.hops as Record<string, unknown>[]).map((h) => ({ ...h, archiveId: detached.id, fileName: detached.fileName, sha256: detached.sha256, sizeBytes: Number(detached.sizeBytes) }));
      await f.env.db.upgradePlan.update({ where: { id: plan.id }, data: { hops } });
      planId = plan.id;
    });

    it("[U1] launch is refused with the reason and nothing is queued or locked", async () => {
      const before = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
      const e = await refusal(launchPlan(f.env.db, f.actor, planId));
      expect(e.message).toMatch(DETACHED_REASON);
      const after = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
      expect(after.state).toBe(before.state);
      expect(after.launchedAt).toBeNull();
      expect(await f.env.db.applianceLock.count({ where: { planId } })).toBe(0);
      const counts = await getStepQueue().getJobCounts("waiting", "delayed", "active", "prioritized");
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    });

    it("[U1] the upload step fails with the reason before any byte is sent", async () => {
      const plan = await f.env.db.upgradePlan.findUniqueOrThrow({ where: { id: planId } });
      const step = await f.env.db.step.findFirstOrThrow({ where: { planId, kind: "upload-archive" } });
      const ctx = createStepContext(f.env.db, plan, step, new AbortController().signal);
      const e = await refusal(uploadArchive(ctx));
      expect(e.code).toBe("precondition-failed");
      expect(e.message).toMatch(DETACHED_REASON);
      const home = path.join(f.env.dataDir, "sim", "cm-detached", "home", "ksadmin");
      expect(fs.readdirSync(home).filter((n) => n.includes("2.11.0"))).toEqual([]);
    });
  });
});
