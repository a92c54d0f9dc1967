// `ls [-l] [-a] [-h] [path...]` inside ksadmin's home; one name per line, as when not on a tty.
import fs from "node:fs";
import path from "node:path";
import { resolveRemotePath } from "../remote-path";
import { humanCeil } from "./df";
import { say, type Command } from "./types";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface Flags {
  long: boolean;
  all: boolean;
  almostAll: boolean;
  human: boolean;
}

export const ls: Command = async ({ node, args, out, err }) => {
  const flags: Flags = { long: false, all: false, almostAll: false, human: false };
  const operands: string[] = [];
  for (const a of args) {
    if (/^-[laAh1tr]+$/.test(a)) {
      flags.long ||= a.includes("l");
      flags.all ||= a.includes("a");
      flags.almostAll ||= a.includes("A");
      flags.human ||= a.includes("h");
    } else if (a.startsWith("-") && a !== "-") {
      say(err, `ls: invalid option -- '${a.replace(/^-+/, "")}'\nTry 'ls --help' for more information.\n`);
      return 2;
    } else operands.push(a);
  }
  if (operands.length === 0) operands.push(".");
  let code = 0;
  const dirs: [string, string][] = [];
  for (const p of operands) {
    const r = resolveRemotePath(node.homeDir, p);
    if (!r.ok) {
      say(err, `ls: cannot open directory '${p}': Permission denied\n`);
      code = 2;
      continue;
    }
    const st = fs.statSync(r.local, { throwIfNoEntry: false });
    if (!st) {
      say(err, `ls: cannot access '${p}': No such file or directory\n`);
      code = 2;
    } else if (st.isDirectory()) dirs.push([p, r.local]);
    else say(out, flags.long ? `${longLine(p, st, flags, String(st.size).length)}\n` : `${p}\n`);
  }
  for (const [shown, local] of dirs) {
    if (operands.length > 1) say(out, `${shown}:\n`);
    say(out, listDirectory(local, flags));
  }
  return code;
};

function listDirectory(dir: string, flags: Flags): string {
  let names = fs.readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (flags.all) names = [".", "..", ...names];
  else if (!flags.almostAll) names = names.filter((n) => !n.startsWith("."));
  if (!flags.long) return names.map((n) => `${n}\n`).join("");
  const stats = names.map((n) => [n, fs.statSync(path.join(dir, n))] as const);
  const total = stats.reduce((sum, [, st]) => sum + Math.ceil(st.blocks / 2), 0);
  const width = Math.max(0, ...stats.map(([, st]) => sizeText(st.size, flags).length));
  return [`total ${total}`, ...stats.map(([n, st]) => longLine(n, st, flags, width))].join("\n") + "\n";
}

function longLine(name: string, st: fs.Stats, flags: Flags, width: number): string {
  const type = st.isDirectory() ? "d" : "-";
  const perms = st.isDirectory() ? "rwxr-xr-x" : "rw-r--r--";
  return `${type}${perms} ${st.isDirectory() ? 2 : 1} ksadmin ksadmin ${sizeText(st.size, flags).padStart(width)} ${lsDate(st.mtime)} ${name}`;
}

function sizeText(size: number, flags: Flags): string {
  return flags.human ? humanCeil(size) : String(size);
}

/** `Nov 30 10:45` for recent files, `Nov 30  2023` for ones older than six months. */
export function lsDate(d: Date, now = new Date()): string {
  const day = String(d.getDate()).padStart(2, " ");
  const recent = Math.abs(now.getTime() - d.getTime()) < 182 * 86_400_000;
  const tail = recent ? `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}` : ` ${d.getFullYear()}`;
  return `${MONTHS[d.getMonth()]} ${day} ${tail}`;
}
