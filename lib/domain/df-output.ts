// Reads `df` output for `/`: `df -P -B1 /` (exact bytes), `df -P /` or `df -k /` (1K blocks),
// and `df -h /` (rounded human sizes). Anything else is an error value: an appliance that
// prints something unexpected must stop a plan, not crash a worker.

import { KIB } from "./bytes";

export interface DfReading {
  filesystem: string;
  mount: string;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
  /** `df -h` rounds; the true free space may be lower by up to `uncertaintyBytes`. */
  precision: "exact" | "rounded";
  uncertaintyBytes: number;
  line: string;
}

export type DfErrorCode = "empty" | "no-header" | "unknown-units" | "no-data" | "truncated" | "bad-number" | "not-root";
export type DfParse = { ok: true; reading: DfReading } | { ok: false; code: DfErrorCode; message: string };

const MAX_INPUT_CHARS = 64 * 1024;
const SUFFIXES = "KMGTPE";

type Units = { kind: "blocks"; blockBytes: number } | { kind: "human" };

export function parseDfOutput(text: string): DfParse {
  const fail = (code: DfErrorCode, message: string): DfParse => ({ ok: false, code, message });
  const lines = String(text ?? "").slice(0, MAX_INPUT_CHARS).split(/\r?\n/).map((l) => l.trimEnd());
  if (lines.every((l) => l.trim() === "")) return fail("empty", "df printed nothing.");
  const headerAt = lines.findIndex((l) => /^Filesystem\s/.test(l) && /Mounted on$/.test(l));
  const header = lines[headerAt];
  if (headerAt < 0 || header === undefined) return fail("no-header", "df output has no 'Filesystem ... Mounted on' header line.");
  const units = parseUnits(header.split(/\s+/)[1] ?? "");
  if (!units) return fail("unknown-units", `df reports sizes in units we do not know: ${header.trim()}`);
  const rows = joinWrappedRows(lines.slice(headerAt + 1).filter((l) => l.trim() !== ""));
  if (rows.length === 0) return fail("no-data", "df printed its header but no filesystem line; the output was cut short.");
  const fields = rows.map((row) => ({ row, cols: row.trim().split(/\s+/) }));
  const root = fields.find(({ cols }) => cols.length >= 6 && cols.slice(5).join(" ") === "/");
  if (!root) {
    if (fields.some(({ cols }) => cols.length < 6)) return fail("truncated", `df line is incomplete: ${rows[0]?.trim()}`);
    return fail("not-root", `df did not report the root filesystem '/': ${rows[0]?.trim()}`);
  }
  const [filesystem = "", size = "", used = "", avail = "", capacity = ""] = root.cols;
  if (!/^(\d{1,3}%|-)$/.test(capacity)) return fail("bad-number", `df line has no capacity percentage where expected: ${root.row.trim()}`);
  const parsed = [size, used, avail].map((s) => parseAmount(s, units));
  const [sizeB, usedB, availB] = parsed;
  if (!sizeB || !usedB || !availB) return fail("bad-number", `df line has a size we cannot read: ${root.row.trim()}`);
  return {
    ok: true,
    reading: {
      filesystem,
      mount: "/",
      sizeBytes: sizeB.bytes,
      usedBytes: usedB.bytes,
      availableBytes: availB.bytes,
      precision: units.kind === "human" ? "rounded" : "exact",
      uncertaintyBytes: availB.uncertainty,
      line: `${header.trim()} | ${root.row.trim()}`,
    },
  };
}

/** "1B-blocks", "1K-blocks", "1024-blocks", "512-blocks", "1M-blocks", or "Size" for -h. */
function parseUnits(token: string): Units | null {
  if (token === "Size") return { kind: "human" };
  const m = /^(\d{1,7})([KMGTPE])?B?-blocks$/i.exec(token);
  if (!m) return null;
  const power = m[2] ? SUFFIXES.indexOf(m[2].toUpperCase()) + 1 : 0;
  return { kind: "blocks", blockBytes: Number(m[1]) * KIB ** power };
}

/** GNU df wraps a long device name onto its own line; the numbers follow on the next. */
function joinWrappedRows(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const next = lines[i + 1];
    if (line.trim().split(/\s+/).length === 1 && next !== undefined && /^\s/.test(next)) {
      out.push(`${line.trim()} ${next.trim()}`);
      i++;
    } else out.push(line);
  }
  return out;
}

function parseAmount(text: string, units: Units): { bytes: number; uncertainty: number } | null {
  if (units.kind === "blocks") {
    if (!/^\d{1,19}$/.test(text)) return null;
    const bytes = Number(text) * units.blockBytes;
    return Number.isSafeInteger(bytes) ? { bytes, uncertainty: 0 } : null;
  }
  // `df -h` prints 1024-based sizes, rounded up, one decimal below 10 ("9.5G"), none above.
  const m = /^(\d{1,6})(?:[.,](\d))?([KMGTPE])?$/i.exec(text);
  if (!m) return null;
  const unit = m[3] ? KIB ** (SUFFIXES.indexOf(m[3].toUpperCase()) + 1) : 1;
  const value = Number(m[1]) + (m[2] ? Number(m[2]) / 10 : 0);
  const step = m[2] ? unit / 10 : unit;
  return { bytes: Math.round(value * unit), uncertainty: unit === 1 ? 0 : Math.ceil(step) };
}
