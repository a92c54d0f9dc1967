// Campaign rows written straight into the test database (a launched campaign and its targets), for
// tests of one part of the campaign machinery that must not depend on how campaigns are created.
import type { Db } from "@/lib/db/client";
import { DistributionSchema, PolicySchema, SelectionSchema, WaveConfigSchema, type DistributionConfig } from "@/lib/campaigns/campaign-input";

export interface TargetRowInput {
  kind: "cluster" | "appliance";
  name: string;
  /** The standalone appliance, or the cluster's entry node. */
  applianceId: string;
  clusterId?: string;
  site?: string | null;
  fromVersion?: string;
  method?: string;
}

export async function createCampaignRows(db: Db, input: { name: string; targetVersion: string; distribution: Partial<DistributionConfig>; targets: TargetRowInput[] }) {
  const campaign = await db.campaign.create({
    data: {
      name: input.name,
      targetVersion: input.targetVersion,
      selection: SelectionSchema.parse({}),
      policy: PolicySchema.parse({}),
      waveConfig: WaveConfigSchema.parse({}),
      distribution: DistributionSchema.parse(input.distribution),
      state: "running",
      createdBy: "test",
      launchedBy: "test",
      launchedAt: new Date(),
      targets: {
        create: input.targets.map((t) => ({
          kind: t.kind, name: t.name, applianceId: t.applianceId, clusterId: t.clusterId ?? null, site: t.site ?? null,
          fromVersion: t.fromVersion ?? "2.10.0+12807", method: t.method ?? (t.kind === "cluster" ? "online-rolling" : "standalone"), state: "pending",
        })),
      },
    },
    include: { targets: true },
  });
  const byName = (name: string) => campaign.targets.find((t) => t.name === name)!;
  return { campaign, targets: campaign.targets, byName };
}
