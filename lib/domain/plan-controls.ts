// What the plan room's controls may do now, and why not when they may not. The services ask the
// same functions, so a disabled button shows the very refusal the server would give.
import { stepsAllowedWhenStopping, type StopStep } from "./campaign-stop";

export type Verdict = { ok: true; note: string } | { ok: false; reason: string };

export interface ControlPlan { method: string; state: string; pauseAfterNode: boolean; nodes: readonly { applianceId: string; name: string }[] }
export interface ControlStep extends StopStep { title: string }

const list = (names: string[]) => names.join(", ") || "none";

function nameOf(plan: ControlPlan): (id: string | null) => string {
  const names = new Map(plan.nodes.map((n) => [n.applianceId, n.name]));
  return (id) => (id && names.get(id)) || "the plan";
}

/** "Pause after this node": finish the node whose change has begun, start nothing on the next [O7]. */
export function mayPauseAfterNode(plan: ControlPlan, steps: readonly ControlStep[]): Verdict {
  if (plan.state !== "running") return { ok: false, reason: `Only a running plan can pause after its current node; this one is ${plan.state}.` };
  if (plan.nodes.length < 2) return { ok: false, reason: "This plan has one appliance, so there is no next node to hold back. To stop it, abort: a running step finishes first." };
  if (plan.pauseAfterNode) return { ok: false, reason: "A pause after the current node is already asked for." };
  const rule = stepsAllowedWhenStopping(plan.method, steps);
  const name = nameOf(plan);
  if (rule.untouched.length === 0) {
    return { ok: false, reason: plan.method === "offline-in-place" || plan.method === "remove-rebuild"
      ? "The cluster is already down for this method's upgrade: it runs to its end together, so that the cluster is not left unserved [F10][R11]."
      : "Every node's upgrade has begun: there is no untouched node left to hold back." };
  }
  // In the plan's node order, whatever order the steps came in.
  const inOrder = (ids: string[]) => plan.nodes.filter((n) => ids.includes(n.applianceId)).map((n) => name(n.applianceId));
  const untouched = inOrder(rule.untouched);
  return rule.finishing.length > 0
    ? { ok: true, note: `Finishes ${list(inOrder(rule.finishing))}, then stops before ${list(untouched)}.` }
    : { ok: true, note: `Stops before the next node changes; untouched: ${list(untouched)}.` };
}

export function mayCancelPause(plan: ControlPlan): Verdict {
  if (!plan.pauseAfterNode) return { ok: false, reason: "No pause after the current node was asked for." };
  if (plan.state !== "running") return { ok: false, reason: `The plan is ${plan.state} already; resume it to go on.` };
  return { ok: true, note: "Keeps going node after node instead of pausing." };
}

export function mayResume(plan: ControlPlan, steps: readonly ControlStep[]): Verdict {
  if (plan.state !== "failed" && plan.state !== "paused") return { ok: false, reason: `Only a failed or paused plan can be resumed; this one is ${plan.state}.` };
  const failed = steps.filter((s) => s.state === "failed");
  return { ok: true, note: failed.length > 0 ? `Runs again: ${list(failed.map((s) => s.title))}. It observes the node first, then the plan goes on.` : "Goes on from where it paused." };
}

export function mayAbort(plan: ControlPlan, steps: readonly ControlStep[]): Verdict {
  if (plan.state === "succeeded" || plan.state === "aborted") return { ok: false, reason: `The plan is already ${plan.state}.` };
  const running = steps.filter((s) => s.state === "running");
  return { ok: true, note: running.length > 0
    ? `Nothing new starts. The running step finishes first, since stopping it halfway could leave the node worse off (${list(running.map((s) => s.title))}); then the appliances are released.`
    : "Nothing new starts, and the appliances are released." };
}

/** "Retry node": only that node's failed steps go back to pending; the plan then goes on. */
export function mayRetryNode(plan: ControlPlan, steps: readonly ControlStep[], applianceId: string): Verdict {
  const name = nameOf(plan);
  if (!plan.nodes.some((n) => n.applianceId === applianceId)) return { ok: false, reason: "This appliance is not a node of the plan." };
  if (plan.state !== "failed" && plan.state !== "paused") return { ok: false, reason: `Only a failed or paused plan can retry a node; this one is ${plan.state}.` };
  const failed = steps.filter((s) => s.state === "failed");
  const mine = failed.filter((s) => s.applianceId === applianceId);
  if (mine.length === 0) return { ok: false, reason: `Nothing failed on ${name(applianceId)}.` };
  const others = failed.filter((s) => s.applianceId !== applianceId);
  if (others.length > 0) return { ok: false, reason: `${list(others.map((s) => s.title))} failed too: resume the whole plan instead.` };
  return { ok: true, note: `Runs again: ${list(mine.map((s) => s.title))}. It observes the node first, then the plan goes on.` };
}
