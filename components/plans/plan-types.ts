export interface StepView {
  id: string; key: string; kind: string; title: string; state: string; hop: number; startedAt: string | null; finishedAt: string | null;
  outcome: string | null; attempts: number; deadlineSeconds: number; output: string;
  applianceId: string | null;
  /** The last upload progress the worker stored (bytes sent, total, rate, time left). */
  progress: { sent?: number; total?: number; startedAt?: number; rate?: number; etaSeconds?: number | null; done?: boolean } | null;
}
export interface PrecheckView { id: string; applianceId: string; checkId: string; status: string; summary: string; evidence: string; remedy: string | null; ruleIds: string[]; takenAt: string }
export interface BackupView { id: string; remoteBackupId: string | null; backupSha256: string | null; backupBytes: number | null; keySha256: string | null; applianceVersion: string | null; confirmedBy: string; confirmedAt: string }
export interface PlanView {
  id: string; method: string; state: string; stateReason: string | null; fromVersion: string; targetVersion: string; createdBy: string; createdAt: string;
  launchedBy: string | null; launchedAt: string | null; finishedAt: string | null; prechecksAt: string | null; overrideReason: string | null;
  nodes: { applianceId: string; name: string }[];
  hops: { hop: number; version: string; fileName: string; sha256: string; sizeBytes: number }[];
  appliance: { id: string; name: string; host: string; version: string | null; model: string | null; status: string };
  steps: StepView[]; prechecks: PrecheckView[]; backups: BackupView[];
  readiness: { state: string; reasons: string[] } | null;
  needsWindow: boolean;
  clusterId: string | null;
  /** An operator asked to pause after the current node; resume clears it. */
  pauseAfterNode: boolean;
  scheduled: boolean;
  window: import("./window-panel").WindowView | null;
}
