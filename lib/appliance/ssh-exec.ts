// Runs one argv on the appliance. The argv is quoted for a POSIX shell by shell-quote, so a path
// with spaces or `;` arrives as one argument; nothing here concatenates text into a command line.
import type { Client, ClientChannel } from "ssh2";
import { quote } from "shell-quote";
import { StringDecoder } from "node:string_decoder";
import { AppError } from "@/lib/errors";
import { OutputTail } from "./output-tail";
import { abortError, sshErrorToAppError } from "./connect-errors";

export interface ExecOptions {
  /** Kill the wait (and close the channel) after this long; default 10 minutes. */
  timeoutMs?: number;
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
  signal?: AbortSignal;
  /** How much of each stream to keep (the tail); default 256 KiB. */
  maxOutputChars?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the channel closed without an exit status (killed by a signal, or a server quirk). */
  exitCode: number | null;
  signal?: string;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_OUTPUT = 256 * 1024;

/** The exact command line sent for an argv; exported so logs and tests show what the appliance sees. */
export function commandLineOf(argv: readonly string[]): string {
  if (argv.length === 0) throw new AppError("bad-input", "empty command");
  for (const arg of argv) {
    if (typeof arg !== "string" || arg.includes("\0")) {
      throw new AppError("bad-input", "command arguments must be strings without NUL bytes");
    }
  }
  return quote([...argv]);
}

export function execOnClient(
  client: Client,
  argv: readonly string[],
  where: string,
  isDisconnected: () => boolean,
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const command = commandLineOf(argv);
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const label = `${where}: \`${argv[0]}\``;

  return new Promise<ExecResult>((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let settled = false;
    const stdout = new OutputTail(opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT);
    const stderr = new OutputTail(opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT);
    const outDecoder = new StringDecoder("utf8");
    const errDecoder = new StringDecoder("utf8");
    let exit: { code: number | null; signal?: string } | undefined;

    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (err) {
        // Closing our side of the channel; the remote process may keep running (no pty, no job control).
        try {
          channel?.close();
        } catch {
          /* already gone */
        }
        reject(err);
        return;
      }
      resolve({
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        exitCode: exit?.code ?? null,
        ...(exit?.signal ? { signal: exit.signal } : {}),
      });
    };
    const details = () => ({ stdoutTail: stdout.toString().slice(-4096), stderrTail: stderr.toString().slice(-4096) });
    const onAbort = () => finish(abortError(signal!));
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const timer = setTimeout(
      () => finish(new AppError("timeout", `${label} did not finish within ${Math.round(timeoutMs / 1000)} s`, details())),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });

    try {
      client.exec(command, (err, ch) => {
        if (err) return finish(sshErrorToAppError(err, label));
        channel = ch;
        if (settled) return void ch.close();
        ch.on("data", (b: Buffer) => {
          const text = outDecoder.write(b);
          stdout.push(text);
          if (text) opts.onStdout?.(text);
        });
        ch.stderr.on("data", (b: Buffer) => {
          const text = errDecoder.write(b);
          stderr.push(text);
          if (text) opts.onStderr?.(text);
        });
        ch.on("exit", (code: number | null, signalName?: string) => {
          exit = signalName ? { code: null, signal: signalName } : { code: typeof code === "number" ? code : null };
        });
        ch.on("close", () => {
          const tailOut = outDecoder.end();
          const tailErr = errDecoder.end();
          if (tailOut) {
            stdout.push(tailOut);
            opts.onStdout?.(tailOut);
          }
          if (tailErr) {
            stderr.push(tailErr);
            opts.onStderr?.(tailErr);
          }
          if (exit) return finish(null);
          // No exit status: either the connection dropped (the outcome is unknown) or the server
          // closed the channel. ssh2 closes channels before it reports the socket, hence the tick.
          setImmediate(() => {
            if (isDisconnected()) {
              finish(new AppError("appliance-unreachable", `${label}: connection lost before the command finished`, {
                ...details(),
                connectionLost: true,
              }));
            } else finish(null);
          });
        });
      });
    } catch (err) {
      finish(sshErrorToAppError(err, label));
    }
  });
}
