// A Precheck is one observed fact judged against one rule: pass, warn (a person should read it)
// or fail (the plan may not start). Evidence is what was seen, so an auditor can re-judge it.

export type PrecheckId =
  | "version-observed" | "cluster-state" | "upgrade-path" | "archive-signature" | "disk-space"
  | "service-health" | "rest-reachable" | "backup"
  | "node-status" | "node-count" | "same-versions" | "audit-records-db" | "host-fingerprint"
  | "client-impact" | "downgrade-impact" | "model";

export type PrecheckStatus = "pass" | "warn" | "fail";

export interface Precheck {
  id: PrecheckId;
  status: PrecheckStatus;
  summary: string;
  evidence: string;
  remedy?: string;
  ruleIds: string[];
  applianceId?: string;
}

type Fields = Omit<Precheck, "id" | "status">;

export const pass = (id: PrecheckId, f: Fields): Precheck => ({ id, status: "pass", ...f });
export const warn = (id: PrecheckId, f: Fields): Precheck => ({ id, status: "warn", ...f });
export const fail = (id: PrecheckId, f: Fields): Precheck => ({ id, status: "fail", ...f });

export type PlanBlock =
  | { blocked: true; failing: Precheck[]; warnings: Precheck[]; message: string }
  | { blocked: false; warnings: Precheck[]; message: string };

/** Any fail blocks; so does an empty list, because nothing has been proven yet. */
export function isPlanBlocked(prechecks: readonly Precheck[]): PlanBlock {
  const failing = prechecks.filter((p) => p.status === "fail");
  const warnings = prechecks.filter((p) => p.status === "warn");
  if (prechecks.length === 0) {
    return { blocked: true, failing: [], warnings: [], message: "No prechecks have been taken; run them before launching." };
  }
  if (failing.length > 0) {
    const first = failing[0];
    return { blocked: true, failing, warnings, message: `${failing.length} precheck(s) failed. First: ${first?.summary}${first?.remedy ? ` ${first.remedy}` : ""}` };
  }
  const note = warnings.length > 0 ? ` ${warnings.length} warning(s) to read before launching.` : "";
  return { blocked: false, warnings, message: `All ${prechecks.length} prechecks passed.${note}` };
}
