// Reads uploads out of simulated appliances' records: each OPEN for writing until its close or the
// end of its session, as the appliance's sftp-server saw it.
import type { RecordEntry } from "@/simulator/core/activity-record";
import type { SimulatedAppliance } from "@/simulator/appliance";

export type NamedEntry = RecordEntry & { appliance: string };

export interface UploadSpan {
  appliance: string;
  path: string;
  /** Size of the remote file when it was opened (> 0: a resumed copy). */
  startSize: number;
  startSeq: number;
  startAt: number;
  endSeq: number;
  endAt: number;
  bytes: number;
  interrupted: boolean;
}

/** Every appliance's record merged in the order things happened (seq is process-wide). */
export function mergedRecord(sims: readonly SimulatedAppliance[]): NamedEntry[] {
  return sims.flatMap((s) => s.record.map((e) => ({ ...e, appliance: s.name }))).sort((a, b) => a.seq - b.seq);
}

const STARTED = /^upload started: (\S+) \(size (\d+)\)$/;
const ENDED = /^upload (interrupted: )?(\S+) \((\d+) bytes received, size \d+\)$/;

export function uploadSpans(entries: readonly NamedEntry[]): UploadSpan[] {
  const open = new Map<string, Omit<UploadSpan, "endSeq" | "endAt" | "bytes" | "interrupted">>();
  const spans: UploadSpan[] = [];
  for (const e of entries) {
    if (e.channel !== "sftp") continue;
    const started = STARTED.exec(e.what);
    if (started) {
      open.set(`${e.appliance} ${started[1]}`, { appliance: e.appliance, path: started[1]!, startSize: Number(started[2]), startSeq: e.seq, startAt: Date.parse(e.at) });
      continue;
    }
    const ended = ENDED.exec(e.what);
    const key = ended ? `${e.appliance} ${ended[2]}` : "";
    const begun = open.get(key);
    if (!ended || !begun) continue;
    open.delete(key);
    spans.push({ ...begun, endSeq: e.seq, endAt: Date.parse(e.at), bytes: Number(ended[3]), interrupted: Boolean(ended[1]) });
  }
  return spans;
}

/** The most uploads open at one moment, by the record's order. */
export function peakConcurrentUploads(spans: readonly UploadSpan[]): number {
  const marks = spans.flatMap((s) => [{ seq: s.startSeq, d: 1 }, { seq: s.endSeq, d: -1 }]).sort((a, b) => a.seq - b.seq);
  let now = 0;
  let peak = 0;
  for (const m of marks) {
    now += m.d;
    peak = Math.max(peak, now);
  }
  return peak;
}
