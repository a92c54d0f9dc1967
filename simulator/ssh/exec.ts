// Runs one exec request: parse it like /bin/sh, run each simple command with its redirections,
// and report the exit status the way sh does (127 for an unknown command).
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import type { ApplianceNode } from "../core/appliance-node";
import { parseCommandLine, type SimpleCommand, type Word } from "./command-line";
import { findCommand } from "./commands";
import { say, type CommandResult } from "./commands/types";
import { resolveRemotePath } from "./remote-path";

export interface ExecStreams {
  out: Writable;
  err: Writable;
}

export async function runCommandLine(node: ApplianceNode, line: string, io: ExecStreams): Promise<CommandResult> {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) {
    say(io.err, `sh: 1: ${parsed.message}\n`);
    return 2;
  }
  let last = 0;
  for (const cmd of parsed.commands) {
    if (cmd.after === "&&" && last !== 0) continue;
    if (cmd.after === "||" && last === 0) continue;
    const result = await runSimple(node, cmd, io);
    if (result === "disconnect") return result;
    last = result;
  }
  return last;
}

async function runSimple(node: ApplianceNode, cmd: SimpleCommand, io: ExecStreams): Promise<CommandResult> {
  const words = cmd.words.flatMap((w) => expandWord(node.homeDir, w));
  const [name, ...args] = words;
  if (name === undefined) return 0;
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const out = cmd.stdout === "null" ? sink : cmd.stdout === "stderr" ? io.err : io.out;
  const err = cmd.stderr === "null" ? sink : cmd.stderr === "stdout" ? io.out : io.err;
  const command = findCommand(name);
  if (!command) {
    say(err, `sh: 1: ${name}: not found\n`);
    return 127;
  }
  try {
    return await command({ node, name: path.posix.basename(name), args, out, err, root: false });
  } catch (e) {
    say(err, `sh: 1: ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}

/** sh globbing inside the home folder; a pattern that matches nothing stays as typed. */
function expandWord(homeDir: string, word: Word): string[] {
  if ("text" in word) return [word.text];
  const pattern = word.glob;
  const slash = pattern.lastIndexOf("/");
  const dirPart = slash >= 0 ? pattern.slice(0, slash + 1) : "";
  const dir = resolveRemotePath(homeDir, dirPart || ".");
  if (!dir.ok) return [pattern];
  const re = globToRegExp(pattern.slice(slash + 1));
  let names: string[];
  try {
    names = fs.readdirSync(dir.local);
  } catch {
    return [pattern];
  }
  const hits = names.filter((n) => !n.startsWith(".") && re.test(n)).sort();
  return hits.length ? hits.map((n) => dirPart + n) : [pattern];
}

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (const ch of glob) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
