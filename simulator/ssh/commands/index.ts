// Which words run which simulated command, and what ksadmin may run through sudo: the vendor
// scripts, reboot and systemctl, nothing else (appliance-contract.md).
import path from "node:path";
import { echo, falseCommand, pwd, test, trueCommand, whoami } from "./builtins";
import { df } from "./df";
import { mkdir, rm } from "./file-change";
import { cat, sha256sum } from "./file-read";
import { ksDowngrade, ksUpgrade } from "./ks-scripts";
import { ksctl } from "./ksctl";
import { ls } from "./ls";
import { rebootCommand } from "./reboot";
import { stat } from "./stat";
import { systemctl } from "./systemctl";
import { say, type Command } from "./types";

const BUILTINS: Record<string, Command> = { echo, true: trueCommand, false: falseCommand, test, "[": test, pwd };

const PROGRAMS: Record<string, Command> = {
  df, sha256sum, cat, ls, stat, rm, mkdir, systemctl, reboot: rebootCommand, ksctl, whoami,
};

const VENDOR_SCRIPTS: Record<string, Command> = {
  "/opt/keysecure/ks_upgrade.sh": ksUpgrade,
  "/opt/keysecure/ks_downgrade.sh": ksDowngrade,
};

const BIN_DIRS = new Set(["/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"]);

export function findCommand(word: string): Command | null {
  const script = VENDOR_SCRIPTS[path.posix.normalize(word)];
  if (script) return script;
  if (word === "sudo") return sudo;
  if (!word.includes("/")) return BUILTINS[word] ?? PROGRAMS[word] ?? null;
  const dir = path.posix.dirname(path.posix.normalize(word));
  const base = path.posix.basename(word);
  return BIN_DIRS.has(dir) ? (PROGRAMS[base] ?? (base === "sudo" ? sudo : null)) : null;
}

/** sudo rules: the vendor scripts, reboot, and systemctl (reboot, or a service's start/stop). */
function mayRunAsRoot(words: string[]): boolean {
  const first = words[0] ?? "";
  if (VENDOR_SCRIPTS[path.posix.normalize(first)]) return true;
  const base = path.posix.basename(first);
  return base === "reboot" || base === "systemctl";
}

const sudo: Command = async (ctx) => {
  let i = 0;
  while (i < ctx.args.length && /^-[nSEHk]+$|^--$/.test(ctx.args[i] as string)) i++;
  const words = ctx.args.slice(i);
  const first = words[0];
  if (!first) {
    say(ctx.err, "usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-u user] command\n");
    return 1;
  }
  const command = findCommand(first);
  if (!command) {
    say(ctx.err, `sudo: ${first}: command not found\n`);
    return 1;
  }
  if (!mayRunAsRoot(words)) {
    const shown = first.includes("/") ? first : `/usr/bin/${first}`;
    say(ctx.err, `Sorry, user ksadmin is not allowed to execute '${[shown, ...words.slice(1)].join(" ")}' as root on ${ctx.node.config.name}.\n`);
    return 1;
  }
  return command({ ...ctx, name: path.posix.basename(first), args: words.slice(1), root: true });
};
