// What the campaign routes answer, as the browser receives it: the services' own return types
// with dates as ISO strings (type-only imports: nothing of lib/ reaches the bundle).
import type { listCampaigns, readCampaign } from "@/lib/campaigns/read-campaigns";
import type { DryRunReport } from "@/lib/campaigns/dry-run";
import type { SelectedTarget } from "@/lib/campaigns/select-targets";
import type { TargetDistributionProgress } from "@/lib/campaigns/distribute";

type Json<T> = T extends Date ? string : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type CampaignSummary = Json<Awaited<ReturnType<typeof listCampaigns>>[number]>;
export type CampaignView = Json<Awaited<ReturnType<typeof readCampaign>>>;
export type WaveView = CampaignView["waves"][number];
export type TargetView = CampaignView["targets"][number];
export type DryRunView = Json<DryRunReport>;
export type PreviewTarget = Json<SelectedTarget>;
export type DistributionRow = Json<TargetDistributionProgress>;
