// The few /bin/sh builtins a console may lean on: echo, true, false, test/[, pwd, whoami.
import fs from "node:fs";
import { resolveRemotePath } from "../remote-path";
import { say, type Command } from "./types";

export const echo: Command = async ({ args, out }) => {
  const noNewline = args[0] === "-n";
  say(out, `${(noNewline ? args.slice(1) : args).join(" ")}${noNewline ? "" : "\n"}`);
  return 0;
};

export const trueCommand: Command = async () => 0;
export const falseCommand: Command = async () => 1;
export const pwd: Command = async ({ out }) => {
  say(out, "/home/ksadmin\n");
  return 0;
};

export const whoami: Command = async ({ out, root }) => {
  say(out, root ? "root\n" : "ksadmin\n");
  return 0;
};

/** `test -e|-f|-d|-s FILE`, `test -n|-z STR`, `test A = B`; `[` wants a closing `]`. */
export const test: Command = async ({ node, name, args, err }) => {
  let a = args;
  if (name === "[") {
    if (a.at(-1) !== "]") {
      say(err, "sh: 1: [: missing ]\n");
      return 2;
    }
    a = a.slice(0, -1);
  }
  const negate = a[0] === "!";
  if (negate) a = a.slice(1);
  const result = evaluate(node.homeDir, a);
  if (result === null) {
    say(err, `sh: 1: ${name}: unsupported expression\n`);
    return 2;
  }
  return result !== negate ? 0 : 1;
};

function evaluate(homeDir: string, a: string[]): boolean | null {
  if (a.length === 0) return false;
  if (a.length === 1) return (a[0] ?? "") !== "";
  if (a.length === 3 && (a[1] === "=" || a[1] === "!=")) return (a[0] === a[2]) === (a[1] === "=");
  if (a.length !== 2) return null;
  const [op, operand = ""] = a;
  if (op === "-n") return operand !== "";
  if (op === "-z") return operand === "";
  const r = resolveRemotePath(homeDir, operand);
  const st = r.ok ? fs.statSync(r.local, { throwIfNoEntry: false }) : undefined;
  if (op === "-e") return !!st;
  if (op === "-f") return !!st?.isFile();
  if (op === "-d") return !!st?.isDirectory();
  if (op === "-s") return !!st && st.size > 0;
  return null;
}
