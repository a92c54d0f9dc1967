// What a node's cluster status means for an upgrade [O6][F5][F8]. Codes are from third-party
// clients of the REST API [T]; the words are the seed's.

export type NodeReadiness =
  | { kind: "ready"; label: string }
  | { kind: "wait"; label: string; remedy: string }
  | { kind: "rejoin"; label: string; remedy: string }
  | { kind: "remove"; label: string; remedy: string };

const JOINING = new Set(["creating", "b", "i", "c", "o"]);

export function classifyNodeStatus(status: { code: string; description?: string } | null): NodeReadiness {
  const code = status?.code.trim().toLowerCase() ?? "";
  const description = status?.description?.trim() ?? "";
  const label = description || code || "unknown";
  const rejoin = { kind: "rejoin" as const, label, remedy: "Attempt a rejoin of this node, then re-run the prechecks." };
  if (code === "r" || code === "ready") return { kind: "ready", label };
  if (JOINING.has(code) || /joining/i.test(description)) {
    return { kind: "wait", label, remedy: "The node is joining; wait for the join to complete, then re-run the prechecks." };
  }
  if (code === "m" || /removing/i.test(description)) {
    return { kind: "wait", label, remedy: "The node is being removed; wait until it is gone, then re-run the prechecks." };
  }
  if (code === "v" || /removed/i.test(description)) {
    return { kind: "remove", label, remedy: "Remove this obsolete node from the cluster before upgrading." };
  }
  // Down, killed, "different states across databases", not clustered, unknown, or unheard of.
  return rejoin;
}
