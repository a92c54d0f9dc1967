// Which controls a campaign offers now, for this person, and why a shown one is disabled. The
// server decides again on every click; this only spares people buttons that cannot work.
import type { CampaignView } from "./campaign-types";

export type ActionKey = "dry-run" | "launch" | "pause" | "resume" | "advance" | "approve" | "abort";

export interface ActionOffer {
  key: ActionKey;
  label: string;
  primary?: boolean;
  /** Null when it can be clicked; else the reason, shown next to the controls. */
  disabledReason: string | null;
  /** The wave an approval is for. */
  waveIndex?: number;
}

export interface Viewer { email: string; canRun: boolean; canApprove: boolean }

interface WaveConfigView { approvalBeforeEachWave?: boolean; autoAdvance?: boolean }

export function offeredActions(v: CampaignView, me: Viewer, now: number): ActionOffer[] {
  const { campaign, waves } = v;
  const state = campaign.state;
  const config = (campaign.waveConfig ?? {}) as WaveConfigView;
  const offers: ActionOffer[] = [];
  const live = state === "running" || state === "paused";
  if (me.canRun) {
    if (state === "draft" || live) offers.push({ key: "dry-run", label: "Dry run", disabledReason: null });
    if (state === "draft") {
      const plannable = v.targets.filter((t) => t.wave !== null).length;
      offers.push({ key: "launch", label: "Launch", primary: true, disabledReason: plannable ? null : "Launch: no target of this campaign can be planned; read each target's reason below." });
    }
    if (state === "running") offers.push({ key: "pause", label: "Pause", disabledReason: null });
    if (state === "paused") offers.push({ key: "resume", label: "Resume", primary: true, disabledReason: null });
    if (state === "halted") offers.push({ key: "resume", label: "Resume", disabledReason: "Resume: the brake halted this campaign. Read the failures, fix their causes, then create a new campaign over the same selection." });
    const current = waves.find((w) => w.index === campaign.currentWave);
    const next = waves.find((w) => w.index === campaign.currentWave + 1);
    if (live && config.autoAdvance === false && current && next) {
      const why = state === "paused" ? "the campaign is paused (resume it first)"
        : current.state === "soaking" ? `${current.name} soaks ${current.soakUntil ? `for ${Math.max(0, Math.ceil((Date.parse(current.soakUntil) - now) / 1000))} s more` : "until its targets prove healthy"}`
        : current.state !== "done" ? `${current.name} is ${current.state}; it must finish and soak first` : null;
      offers.push({ key: "advance", label: `Advance to ${next.name}`, primary: why === null, disabledReason: why ? `Advance: ${why}.` : null });
    }
  }
  if (me.canApprove && config.approvalBeforeEachWave && (state === "draft" || live)) {
    const wave = waves.find((w) => !w.approvedAt && (w.state === "pending" || w.state === "awaiting-approval") && w.index >= campaign.currentWave);
    if (wave) {
      const own = campaign.createdBy === me.email;
      offers.push({ key: "approve", label: `Approve ${wave.name}`, primary: !own, waveIndex: wave.index, disabledReason: own ? `Approve: you created this campaign; another approver must approve its waves (four eyes).` : null });
    }
  }
  if (me.canRun && !["aborted", "succeeded", "failed"].includes(state)) offers.push({ key: "abort", label: "Abort", disabledReason: null });
  return offers;
}
