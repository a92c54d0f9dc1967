// The procedure's warnings at the moment they matter, derived from the plan's steps so every
// viewer sees the same ones: before something happens ("upcoming") and while it happens ("now"),
// never after. The database lock of an online upgrade's first node [O3][O8], client traffic
// blocked by the methods with downtime [F2][F9][F10][R2], and the data wipe of a downgrade or a
// factory reset [D3][D5][D6].

export interface WarnStep { key: string; kind: string; state: string; applianceId: string | null; hop: number; attempts: number }
export interface WarnPlan { method: string; state: string; clustered: boolean }
export interface PlanWarning { id: "database-lock" | "client-traffic" | "data-wipe"; phase: "upcoming" | "now"; ruleIds: string[]; text: string }

const DONE = new Set(["succeeded", "skipped"]);
/** States in which a step still to come can be warned about. */
const AHEAD = new Set(["draft", "prechecked", "ready", "running", "paused"]);
const begun = (s: WarnStep) => (s.state !== "pending" && s.state !== "cancelled") || s.attempts > 0;
const done = (s: WarnStep | undefined) => s !== undefined && DONE.has(s.state);

type Names = (applianceId: string | null) => string;

export function planWarnings(plan: WarnPlan, nodes: readonly { applianceId: string; name: string }[], steps: readonly WarnStep[]): PlanWarning[] {
  const names = new Map(nodes.map((n) => [n.applianceId, n.name]));
  const name: Names = (id) => (id && names.get(id)) || "the appliance";
  return [databaseLock(plan, steps, name), clientTraffic(plan, steps, name), dataWipe(plan, steps, name)].filter((w): w is PlanWarning => w !== null);
}

/** [O3][O8] Per hop, the first node to run ks_upgrade.sh updates the shared schema; until it is back and checked. */
function databaseLock(plan: WarnPlan, steps: readonly WarnStep[], name: Names): PlanWarning | null {
  if (plan.method !== "online-rolling" || !plan.clustered) return null;
  const hops = [...new Set(steps.filter((s) => s.kind === "run-upgrade").map((s) => s.hop))].sort((a, b) => a - b);
  for (const hop of hops) {
    const first = steps.find((s) => s.kind === "run-upgrade" && s.hop === hop)!;
    if (done(steps.find((s) => s.kind === "postcheck" && s.hop === hop && s.applianceId === first.applianceId))) continue;
    const who = name(first.applianceId);
    if (begun(first)) {
      if (plan.state !== "running" || first.state === "failed") return null;
      return { id: "database-lock", phase: "now", ruleIds: ["O3", "O8"], text: `Warning: The first node is upgrading (${who}): the cluster's shared database is locked for up to 30 seconds and its schema is updated. Every node may answer errors or respond slowly meanwhile [O3][O8].` };
    }
    if (!AHEAD.has(plan.state)) return null;
    return { id: "database-lock", phase: "upcoming", ruleIds: ["O3", "O8"], text: `When ${who}, the first node, upgrades, the cluster's shared database is locked for up to 30 seconds and its schema is updated: every node may answer errors or respond slowly for that time [O3][O8]. Tell the owners of client applications before it starts.` };
  }
  return null;
}

function clientTraffic(plan: WarnPlan, steps: readonly WarnStep[], name: Names): PlanWarning | null {
  const confirm = (tag: string, hop?: number) => steps.find((s) => s.kind === "operator-confirm" && s.key.includes(`:${tag}`) && (hop === undefined || s.hop === hop));
  const stillSo = plan.state === "running" ? "" : ` The plan is ${plan.state}.`;
  if (plan.method === "offline-in-place") {
    const hops = [...new Set(steps.filter((s) => s.kind === "disable-rest").map((s) => s.hop))].sort((a, b) => a - b);
    for (const hop of hops) {
      const disables = steps.filter((s) => s.kind === "disable-rest" && s.hop === hop);
      const enables = steps.filter((s) => s.kind === "enable-rest" && s.hop === hop);
      if (enables.length > 0 && enables.every(done)) continue;
      const off = disables.filter((d) => begun(d) && !done(enables.find((e) => e.applianceId === d.applianceId)));
      if (off.length > 0) {
        return { id: "client-traffic", phase: "now", ruleIds: ["F2", "F10", "F12"], text: `Client traffic is blocked: the REST API is off on ${off.map((s) => name(s.applianceId)).join(", ")} (${off.length} of ${disables.length} nodes). Clients get no answer until every node is upgraded and the REST API is back on [F2][F10][F12].${stillSo}` };
      }
      if (done(confirm("clients-stopped", hop))) {
        return { id: "client-traffic", phase: "now", ruleIds: ["F2", "F9"], text: `Client traffic is stopped, as you confirmed: the REST API goes off on every node next, and the cluster is unavailable until the upgrade finishes [F2][F9].${stillSo}` };
      }
      if (!AHEAD.has(plan.state)) return null;
      return { id: "client-traffic", phase: "upcoming", ruleIds: ["F2", "F9"], text: "This method takes the cluster offline: client traffic is blocked from your confirmation that clients are stopped until the REST API is back on every node. Plan the downtime [F2][F9]." };
    }
    return null;
  }
  if (plan.method === "remove-rebuild") {
    if (done(confirm("clients-restored"))) return null;
    if (done(confirm("clients-blocked"))) {
      return { id: "client-traffic", phase: "now", ruleIds: ["R2", "R11"], text: `Client access is blocked: the cluster is being rebuilt, and requests sent now can be lost. Access is restored at the end, when you confirm it [R2][R11].${stillSo}` };
    }
    if (!AHEAD.has(plan.state)) return null;
    return { id: "client-traffic", phase: "upcoming", ruleIds: ["R2"], text: "This method blocks client access for the whole rebuild: requests sent during it can be lost. You confirm that clients are blocked before anything changes [R2]." };
  }
  return null;
}

/** [D3][D5] ks_downgrade.sh, or [D6] a factory reset: everything but backup files is wiped. */
function dataWipe(plan: WarnPlan, steps: readonly WarnStep[], name: Names): PlanWarning | null {
  const wipe = steps.find((s) => s.kind === "run-downgrade" || s.kind === "factory-reset");
  if (!wipe) return null;
  const who = name(wipe.applianceId);
  const downgrade = wipe.kind === "run-downgrade";
  if (begun(wipe)) {
    const back = steps.find((s) => s.kind === "wait-return" && s.applianceId === wipe.applianceId && steps.indexOf(s) > steps.indexOf(wipe));
    if (plan.state !== "running" || wipe.state === "failed" || done(back)) return null;
    return downgrade
      ? { id: "data-wipe", phase: "now", ruleIds: ["D3", "D5"], text: `${who} is being downgraded: all its data is wiped except existing backup files [D3]. From now on it is a test system only [D5].` }
      : { id: "data-wipe", phase: "now", ruleIds: ["D6"], text: `${who} is being factory reset: all its data is wiped. The chosen backup is restored at the end [D6].` };
  }
  if (!AHEAD.has(plan.state)) return null;
  return downgrade
    ? { id: "data-wipe", phase: "upcoming", ruleIds: ["D3", "D5"], text: `Downgrading ${who} wipes all its data except existing backup files [D3], and a downgraded system is for test environments only [D5]. A backup with its key is downloaded first, and you confirm the wipe before ks_downgrade.sh runs.` }
    : { id: "data-wipe", phase: "upcoming", ruleIds: ["D6"], text: `${who} will be factory reset: all its data is wiped, then it is upgraded and the chosen backup restored [D6]. You confirm the reset before it starts.` };
}
