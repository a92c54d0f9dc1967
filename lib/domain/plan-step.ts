// A Step is one small, named, idempotent unit of a plan, executed by a worker. Keys are stable
// strings so a plan recompiled from the same input yields the same keys (and job ids).

export const STEP_KINDS = [
  "precheck", "backup", "upload-archive", "verify-upload", "disk-check", "run-upgrade", "run-downgrade",
  "reboot", "wait-return", "postcheck", "cleanup",
  "operator-confirm", "disable-rest", "enable-rest", "remove-node", "delete-cluster", "create-cluster", "join-cluster",
  "factory-reset", "restore-backup",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface Step {
  key: string;
  kind: StepKind;
  applianceId?: string;
  hop?: number;
  dependsOn: string[];
  deadlineSeconds: number;
  title: string;
  ruleIds: string[];
  /** For archive steps: which archive, and whether the vendor script gets `-o`. */
  archiveVersion?: string;
  archiveSizeBytes?: number;
  forceFlag?: boolean;
}

/** Where the vendor puts the archive: ksadmin's home [U6]. */
export const REMOTE_ARCHIVE_DIRECTORY = "/home/ksadmin";

export function stepKey(p: { kind: StepKind; applianceId?: string; hop?: number; tag?: string }): string {
  const scope = p.applianceId ? `node:${p.applianceId}` : "plan";
  return [scope, p.kind, p.tag, p.hop ? `hop${p.hop}` : undefined].filter((x) => x !== undefined).join(":");
}

/**
 * Deadlines in seconds [A]. Generous where the vendor says "10 minutes or more" [O2] and where
 * database-changing releases run longer; a person's confirmation waits a day.
 */
export const DEFAULT_STEP_DEADLINES: Record<StepKind, number> = {
  precheck: 300,
  backup: 1800,
  "upload-archive": 1800,
  "verify-upload": 900,
  "disk-check": 120,
  "run-upgrade": 3600,
  "run-downgrade": 3600,
  reboot: 300,
  "wait-return": 2400,
  postcheck: 600,
  cleanup: 120,
  "operator-confirm": 86_400,
  "disable-rest": 300,
  "enable-rest": 300,
  "remove-node": 900,
  "delete-cluster": 600,
  "create-cluster": 1200,
  "join-cluster": 1800,
  "factory-reset": 2400,
  "restore-backup": 3600,
};

/** Slowest link we plan for; the real one ran at 36 MB/s [C]. */
export const MIN_UPLOAD_BYTES_PER_SECOND = 5 * 1024 * 1024;

export function uploadDeadlineSeconds(archiveSizeBytes: number, base: number): number {
  return Math.max(base, Math.ceil(archiveSizeBytes / MIN_UPLOAD_BYTES_PER_SECOND));
}
