// `rm` and `mkdir` inside ksadmin's home; removing a file gives its space back to the disk.
import fs from "node:fs/promises";
import { resolveRemotePath } from "../remote-path";
import { HOME } from "../../core/appliance-node";
import { say, type Command } from "./types";

function split(args: string[]): { flags: Set<string>; operands: string[] } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let ended = false;
  for (const a of args) {
    if (!ended && a === "--") ended = true;
    else if (!ended && /^-[a-zA-Z]+$/.test(a)) for (const f of a.slice(1)) flags.add(f);
    else if (!ended && a.startsWith("--")) flags.add(a);
    else operands.push(a);
  }
  return { flags, operands };
}

export const rm: Command = async ({ node, args, err }) => {
  const { flags, operands } = split(args);
  const force = flags.has("f") || flags.has("--force");
  const recursive = flags.has("r") || flags.has("R") || flags.has("--recursive");
  if (operands.length === 0 && !force) {
    say(err, "rm: missing operand\nTry 'rm --help' for more information.\n");
    return 1;
  }
  let code = 0;
  for (const p of operands) {
    const r = resolveRemotePath(node.homeDir, p);
    if (!r.ok || r.remote === HOME) {
      say(err, `rm: cannot remove '${p}': Permission denied\n`);
      code = 1;
      continue;
    }
    const st = await fs.lstat(r.local).catch(() => null);
    if (!st) {
      if (!force) {
        say(err, `rm: cannot remove '${p}': No such file or directory\n`);
        code = 1;
      }
      continue;
    }
    if (st.isDirectory() && !recursive) {
      say(err, `rm: cannot remove '${p}': Is a directory\n`);
      code = 1;
      continue;
    }
    await fs.rm(r.local, { recursive: true, force: true });
    if (st.isDirectory()) await node.disk.rescan();
    else node.disk.shrink(st.size);
  }
  node.changed();
  return code;
};

export const mkdir: Command = async ({ node, args, err }) => {
  const { flags, operands } = split(args);
  const parents = flags.has("p") || flags.has("--parents");
  if (operands.length === 0) {
    say(err, "mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  let code = 0;
  for (const p of operands) {
    const r = resolveRemotePath(node.homeDir, p);
    if (!r.ok) {
      // mkdir -p of an existing system directory succeeds on a real system; creating one does not.
      if (parents && ["/", "/home", "/tmp"].includes(r.remote)) continue;
      say(err, `mkdir: cannot create directory '${p}': Permission denied\n`);
      code = 1;
      continue;
    }
    try {
      await fs.mkdir(r.local, { recursive: parents });
    } catch (e) {
      const c = (e as NodeJS.ErrnoException).code;
      const why = c === "EEXIST" ? "File exists" : c === "ENOENT" ? "No such file or directory" : c === "ENOTDIR" ? "Not a directory" : "Input/output error";
      say(err, `mkdir: cannot create directory '${p}': ${why}\n`);
      code = 1;
    }
  }
  return code;
};
