// What was done to the appliance, in order: commands, uploads, state-changing REST calls.
// Tests assert on it (e.g. "ks_upgrade.sh ran exactly once"); it is never shown to clients.
// `seq` is shared by every appliance of the process, so records of several nodes merge in order.

/** "event": a change nobody typed (firmware applied at boot, a join finished, the cluster database locked). */
export type RecordChannel = "ssh" | "rest" | "sftp" | "event";

let nextSeq = 1;

export interface RecordEntry {
  seq: number;
  at: string;
  channel: RecordChannel;
  what: string;
  /** Exit code of a command, once it finished. */
  exitCode?: number;
  /** When a command finished (ISO), as the appliance's own log shows it: `at` is when it began. */
  endedAt?: string;
  /** HTTP status of a REST call. */
  status?: number;
}

export class ActivityRecord {
  private entries: RecordEntry[] = [];

  add(channel: RecordChannel, what: string, extra: Partial<Pick<RecordEntry, "exitCode" | "status">> = {}): RecordEntry {
    const entry: RecordEntry = { seq: nextSeq++, at: new Date().toISOString(), channel, what, ...extra };
    this.entries.push(entry);
    return entry;
  }

  list(): RecordEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
