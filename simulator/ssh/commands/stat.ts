// `stat -c FORMAT` / `--format=FORMAT` (the console asks for %s), and a short default form.
import fs from "node:fs";
import { resolveRemotePath } from "../remote-path";
import { say, type Command } from "./types";

export const stat: Command = async ({ node, args, out, err }) => {
  let format: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-c" || a === "--format") format = args[++i] ?? "";
    else if (a.startsWith("--format=")) format = a.slice("--format=".length);
    else if (a.startsWith("-c") && a.length > 2) format = a.slice(2);
    else if (a === "-L" || a === "--") continue;
    else if (a.startsWith("-")) {
      say(err, `stat: invalid option -- '${a.replace(/^-+/, "")}'\nTry 'stat --help' for more information.\n`);
      return 1;
    } else files.push(a);
  }
  if (files.length === 0) {
    say(err, "stat: missing operand\nTry 'stat --help' for more information.\n");
    return 1;
  }
  let code = 0;
  for (const f of files) {
    const r = resolveRemotePath(node.homeDir, f);
    const st = r.ok ? fs.statSync(r.local, { throwIfNoEntry: false }) : undefined;
    if (!st) {
      say(err, `stat: cannot statx '${f}': ${r.ok ? "No such file or directory" : "Permission denied"}\n`);
      code = 1;
      continue;
    }
    say(out, format === null ? defaultForm(f, st) : `${applyFormat(format, f, st)}\n`);
  }
  return code;
};

export function applyFormat(format: string, name: string, st: fs.Stats): string {
  return format.replace(/%([%snYFaUG])/g, (_, c: string) => {
    switch (c) {
      case "s": return String(st.size);
      case "n": return name;
      case "Y": return String(Math.floor(st.mtimeMs / 1000));
      case "F": return st.isDirectory() ? "directory" : st.size === 0 ? "regular empty file" : "regular file";
      case "a": return st.isDirectory() ? "755" : "644";
      case "U": case "G": return "ksadmin";
      default: return "%";
    }
  });
}

function defaultForm(name: string, st: fs.Stats): string {
  const type = st.isDirectory() ? "directory" : st.size === 0 ? "regular empty file" : "regular file";
  const perms = st.isDirectory() ? "(0755/drwxr-xr-x)" : "(0644/-rw-r--r--)";
  return [
    `  File: ${name}`,
    `  Size: ${st.size}\tBlocks: ${st.blocks}\tIO Block: 4096   ${type}`,
    `Access: ${perms}  Uid: ( 1000/ ksadmin)   Gid: ( 1000/ ksadmin)`,
    `Modify: ${st.mtime.toISOString()}`,
    "",
  ].join("\n");
}
