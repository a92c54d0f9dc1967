// The new-campaign form as text fields, and its translation to the API's CreateCampaign body.
// Numbers stay strings while typed; the server's zod schema judges the result and names the field.
import type { CampaignPolicy, CreateCampaignInput } from "@/lib/campaigns/campaign-input";

export type ClusterMethod = CampaignPolicy["clusterMethods"][number];
const CLUSTER_METHODS: ClusterMethod[] = ["online-rolling", "offline-in-place", "remove-rebuild"];

export interface CampaignFormState {
  name: string; targetVersion: string;
  tags: string; versions: string; models: string; names: string;
  clusterMethods: { method: ClusterMethod; on: boolean }[];
  canaryTag: string; canaryNames: string; canarySize: string;
  splitBy: "size" | "tag"; splitSize: string; splitKey: string;
  concurrency: string; soakSeconds: string; maxFailures: string; maxFailurePercent: string;
  approvalBeforeEachWave: boolean; autoAdvance: boolean;
  distributionEnabled: boolean; maxConcurrentUploads: string; siteMiBPerSecond: string;
}

export const INITIAL_FORM: CampaignFormState = {
  name: "", targetVersion: "",
  tags: "", versions: "", models: "", names: "",
  clusterMethods: CLUSTER_METHODS.map((method, i) => ({ method, on: i === 0 })),
  canaryTag: "", canaryNames: "", canarySize: "1",
  splitBy: "size", splitSize: "10", splitKey: "site",
  concurrency: "5", soakSeconds: "600", maxFailures: "0", maxFailurePercent: "10",
  approvalBeforeEachWave: false, autoAdvance: true,
  distributionEnabled: true, maxConcurrentUploads: "4", siteMiBPerSecond: "",
};

export const METHOD_LABEL: Record<string, string> = {
  standalone: "Standalone", "online-rolling": "Online in-place (rolling)", "offline-in-place": "Offline in-place", "remove-rebuild": "Remove/rebuild", downgrade: "Downgrade",
};

export function splitList(text: string): string[] {
  return text.split(",").map((t) => t.trim()).filter(Boolean);
}

/** An empty field is left out (the server's default applies); anything else is sent as a number. */
function num(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

export function selectionOf(f: CampaignFormState): CreateCampaignInput["selection"] {
  return { tags: splitList(f.tags), versions: splitList(f.versions), models: splitList(f.models), names: splitList(f.names) };
}

export function toCreateInput(f: CampaignFormState) {
  const mibps = num(f.siteMiBPerSecond);
  return {
    name: f.name,
    targetVersion: f.targetVersion,
    selection: selectionOf(f),
    policy: { clusterMethods: f.clusterMethods.filter((m) => m.on).map((m) => m.method) },
    waves: {
      canary: { tag: f.canaryTag.trim() || undefined, names: splitList(f.canaryNames), size: num(f.canarySize) },
      split: f.splitBy === "size" ? { by: "size" as const, size: num(f.splitSize) } : { by: "tag" as const, key: f.splitKey.trim() },
      concurrency: num(f.concurrency),
      soakSeconds: num(f.soakSeconds),
      brake: { maxFailures: num(f.maxFailures), maxFailurePercent: num(f.maxFailurePercent) },
      approvalBeforeEachWave: f.approvalBeforeEachWave,
      autoAdvance: f.autoAdvance,
    },
    distribution: {
      enabled: f.distributionEnabled,
      maxConcurrentUploads: num(f.maxConcurrentUploads),
      siteBandwidthBytesPerSecond: mibps === undefined ? null : Math.round(mibps * 1024 * 1024),
    },
  };
}
