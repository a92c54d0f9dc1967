// `df` over the simulated root filesystem, formatted the way GNU coreutils prints it:
// -h rounds up in powers of 1024, -P uses POSIX headers, -B sets the block size.
import type { DiskSnapshot } from "../../core/disk";
import { resolveRemotePath } from "../remote-path";
import fs from "node:fs";
import { say, type Command } from "./types";

const DEVICE = "/dev/sda2";

export interface DfOptions {
  human: boolean;
  posix: boolean;
  blockSize: number;
}

export const df: Command = async ({ node, args, out, err }) => {
  const opts: DfOptions = { human: false, posix: false, blockSize: 1024 };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--human-readable") opts.human = true;
    else if (a === "--portability") opts.posix = true;
    else if (/^-[hPk]+$/.test(a)) {
      if (a.includes("h")) opts.human = true;
      if (a.includes("P")) opts.posix = true;
      if (a.includes("k")) opts.blockSize = 1024;
    } else if (a === "-B" || a.startsWith("-B") || a.startsWith("--block-size=")) {
      const value = a === "-B" ? args[++i] : a.startsWith("-B") ? a.slice(2) : a.slice("--block-size=".length);
      const size = parseBlockSize(value ?? "");
      if (size === null) {
        say(err, `df: invalid -B argument '${value ?? ""}'\n`);
        return 1;
      }
      opts.blockSize = size;
      opts.human = false;
    } else if (a.startsWith("-") && a !== "-") {
      say(err, `df: invalid option -- '${a.replace(/^-+/, "")}'\nTry 'df --help' for more information.\n`);
      return 1;
    } else paths.push(a);
  }
  for (const p of paths) {
    const r = resolveRemotePath(node.homeDir, p);
    // Paths outside the home folder exist or not as on a real appliance; we only know "/" and home.
    if (r.ok && !fs.existsSync(r.local)) {
      say(err, `df: ${p}: No such file or directory\n`);
      return 1;
    }
  }
  say(out, formatDf(node.disk.snapshot(), opts, Math.max(1, paths.length)));
  return 0;
};

export function formatDf(disk: DiskSnapshot, opts: DfOptions, rows = 1): string {
  const header = [
    "Filesystem",
    opts.human ? "Size" : blockHeader(opts),
    "Used",
    opts.human ? "Avail" : "Available",
    opts.posix ? "Capacity" : "Use%",
    "Mounted on",
  ];
  const num = (bytes: number) => (opts.human ? humanCeil(bytes) : String(Math.ceil(bytes / opts.blockSize)));
  const pct = disk.totalBytes === 0 ? "-" : `${Math.ceil((disk.usedBytes * 100) / (disk.usedBytes + disk.freeBytes) - 1e-9)}%`;
  const row = [DEVICE, num(disk.totalBytes), num(disk.usedBytes), num(disk.freeBytes), pct, "/"];
  const table = [header, ...Array.from({ length: rows }, () => row)];
  const minWidth = [14, 5, 5, 5, 4, 0];
  const widths = header.map((_, c) => Math.max(minWidth[c] ?? 0, ...table.map((r) => (r[c] ?? "").length)));
  return table
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : c === r.length - 1 ? cell : cell.padStart(widths[c] ?? 0)))
        .join(" "),
    )
    .join("\n")
    .concat("\n");
}

function blockHeader(opts: DfOptions): string {
  if (opts.posix) return `${opts.blockSize}-blocks`;
  if (opts.blockSize === 1024) return "1K-blocks";
  return `${opts.blockSize}B-blocks`;
}

/** coreutils' -h: powers of 1024, rounded up, one decimal below 10 (exact integer arithmetic). */
export function humanCeil(bytes: number): string {
  const units = ["K", "M", "G", "T", "P", "E"];
  if (bytes < 1024) return String(bytes);
  let unit = 0;
  while (unit < units.length - 1 && bytes >= 1024 ** (unit + 2)) unit++;
  const size = 1024 ** (unit + 1);
  const ceilDiv = (a: number, b: number) => Math.floor((a + b - 1) / b);
  if (bytes < 10 * size) {
    const tenths = ceilDiv(bytes * 10, size);
    if (tenths < 100) return `${Math.floor(tenths / 10)}.${tenths % 10}${units[unit]}`;
  }
  const whole = ceilDiv(bytes, size);
  if (whole >= 1024 && unit < units.length - 1) return `1.0${units[unit + 1]}`;
  return `${whole}${units[unit]}`;
}

function parseBlockSize(text: string): number | null {
  const m = /^(\d*)([KMGT]?)(i?B?)$/i.exec(text);
  if (!m || (!m[1] && !m[2])) return null;
  const base = m[3]?.toUpperCase() === "B" ? 1000 : 1024;
  const power = " KMGT".indexOf((m[2] || " ").toUpperCase());
  const size = Number(m[1] || "1") * base ** power;
  return size > 0 ? size : null;
}
