// Child processes of the launcher, with prefixed output and a clean stop on exit.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines it printed, for an error message that says why it stopped. */
  tail: string[];
  stop(): Promise<void>;
}

export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, opts: { quiet?: boolean; onLine?: (line: string) => void } = {}): Child {
  const proc = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  for (const stream of [proc.stdout, proc.stderr]) {
    const rl = readline.createInterface({ input: stream });
    rl.on("line", (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.onLine?.(line);
      if (!opts.quiet) process.stdout.write(`[${name}] ${line}\n`);
    });
  }
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    name,
    process: proc,
    tail,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits for a line matching `pattern` from the child; fails if it exits or time runs out. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.process.stdout! });
    const timer = setTimeout(() => { rl.close(); reject(new Error(`${child.name} did not print ${pattern} within ${timeoutMs} ms`)); }, timeoutMs);
    child.process.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${child.name} exited with code ${code} before it was ready:\n${child.tail.slice(-8).join("\n")}`)); });
    rl.on("line", (line) => {
      const m = line.match(pattern);
      if (m) { clearTimeout(timer); rl.close(); resolve(m); }
    });
  });
}
