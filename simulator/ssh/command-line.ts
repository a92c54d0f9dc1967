// Turns an exec request into simple commands joined by ; && ||, the way /bin/sh would read it.
// shell-quote does the quoting; nothing here ever reaches a real shell. Pipes, background jobs
// and redirection to files are refused: the console may not rely on them (appliance-contract.md).
import { parse, type ParseEntry } from "shell-quote";

export type Word = { text: string } | { glob: string };

export interface SimpleCommand {
  words: Word[];
  /** Where stdout / stderr go: the channel, nowhere, or the other stream. */
  stdout: "channel" | "null" | "stderr";
  stderr: "channel" | "null" | "stdout";
  /** How this command is joined to the previous one. */
  after: ";" | "&&" | "||" | null;
}

export type ParsedLine = { ok: true; commands: SimpleCommand[] } | { ok: false; message: string };

const ENV: Record<string, string> = { HOME: "/home/ksadmin", USER: "ksadmin", LOGNAME: "ksadmin", SHELL: "/bin/sh", PATH: "/usr/local/bin:/usr/bin:/bin", PWD: "/home/ksadmin" };

export function parseCommandLine(line: string): ParsedLine {
  let entries: ParseEntry[];
  try {
    entries = parse(line, (key) => ENV[key] ?? "");
  } catch (e) {
    return { ok: false, message: `Syntax error: ${(e as Error).message}` };
  }
  const commands: SimpleCommand[] = [];
  let current = newCommand(null);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (typeof e === "string") {
      current.words.push({ text: expandTilde(e) });
      continue;
    }
    if (e === undefined || "comment" in e) break;
    if (e.op === "glob") {
      current.words.push({ glob: (e as { pattern: string }).pattern });
      continue;
    }
    if (e.op === ";" || e.op === "&&" || e.op === "||") {
      if (current.words.length === 0) return { ok: false, message: `Syntax error: "${e.op}" unexpected` };
      commands.push(current);
      current = newCommand(e.op);
      continue;
    }
    if (e.op === ">" || e.op === ">&" || e.op === ">>") {
      const redirect = takeRedirect(current, e.op, entries[i + 1]);
      if (!redirect.ok) return redirect;
      i++;
      continue;
    }
    return { ok: false, message: `"${e.op}" is not supported by this appliance's command channel` };
  }
  if (current.words.length > 0) commands.push(current);
  else if (current.after === "&&" || current.after === "||") return { ok: false, message: "Syntax error: end of file unexpected" };
  return { ok: true, commands };
}

function newCommand(after: SimpleCommand["after"]): SimpleCommand {
  return { words: [], stdout: "channel", stderr: "channel", after };
}

/** `2>/dev/null`, `>/dev/null`, `2>&1`, `1>&2`: shell-quote splits the fd number off as a word. */
function takeRedirect(cmd: SimpleCommand, op: string, target: ParseEntry | undefined): { ok: true } | { ok: false; message: string } {
  const last = cmd.words.at(-1);
  let fd = 1;
  if (last && "text" in last && (last.text === "1" || last.text === "2")) {
    fd = Number(last.text);
    cmd.words.pop();
  }
  if (typeof target !== "string") return { ok: false, message: "Syntax error: redirection unexpected" };
  if (op === ">&" && (target === "1" || target === "2")) {
    if (fd === 2 && target === "1") cmd.stderr = "stdout";
    else if (fd === 1 && target === "2") cmd.stdout = "stderr";
    return { ok: true };
  }
  if (target === "/dev/null") {
    if (fd === 2) cmd.stderr = "null";
    else cmd.stdout = "null";
    return { ok: true };
  }
  return { ok: false, message: `cannot create ${target}: redirection to files is not supported by this appliance's command channel` };
}

function expandTilde(word: string): string {
  if (word === "~") return ENV.HOME as string;
  if (word.startsWith("~/")) return `${ENV.HOME}${word.slice(1)}`;
  return word;
}
