// Reads `systemctl status keysecure` [U10]. The real output is not public, so we rely on the
// systemd-standard `Active:` line plus the exit code (0 running, 3 not running, 4 no such unit),
// and call the service healthy only when both agree.

export type ServiceState = "active" | "activating" | "failed" | "inactive" | "unknown";

export interface SystemctlStatus {
  state: ServiceState;
  /** The word in parentheses: "running", "exited", "dead", "Result: exit-code"... */
  subState?: string;
  since?: string;
  /** The `Active:` line (or the first line when there is none): evidence for the UI. */
  line: string;
  detail: string;
}

const MAX_INPUT_CHARS = 64 * 1024;
// Colour codes, when the shell is a terminal. Built from a string: the escape byte in a regex
// literal trips no-control-regex.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

export function parseSystemctlStatus(text: string, exitCode: number | null): SystemctlStatus {
  const clean = String(text ?? "").slice(0, MAX_INPUT_CHARS).replace(ANSI, "");
  const lines = clean.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const activeLine = lines.find((l) => /^Active:/i.test(l));
  const evidence = (activeLine ?? lines[0] ?? "(no output)").slice(0, 300);
  const exit = exitCode === null ? "no exit code" : `exit code ${exitCode}`;
  if (exitCode === 4 || /could not be found|not-found/i.test(clean)) {
    return { state: "unknown", line: evidence, detail: `The keysecure unit was not found (${exit}).` };
  }
  const m = activeLine ? /^Active:\s*([a-z-]+)(?:\s+\(([^)]*)\))?(.*)$/i.exec(activeLine) : null;
  if (!m?.[1]) {
    return { state: "unknown", line: evidence, detail: `No readable 'Active:' line in the output (${exit}).` };
  }
  const word = m[1].toLowerCase();
  const subState = m[2]?.trim() || undefined;
  const since = /\bsince\s+([^;]+)/.exec(m[3] ?? "")?.[1]?.trim();
  const state = stateOf(word);
  if (state === "active" && exitCode !== 0) {
    return { state: "unknown", subState, since, line: evidence, detail: `The output says active but systemctl ended with ${exit}; not trusting either.` };
  }
  return { state, subState, since, line: evidence, detail: `keysecure is ${word}${subState ? ` (${subState})` : ""}${since ? ` since ${since}` : ""}.` };
}

function stateOf(word: string): ServiceState {
  switch (word) {
    case "active":
    case "reloading": // still serving while it reloads
      return "active";
    case "activating":
      return "activating";
    case "failed":
      return "failed";
    case "inactive":
    case "deactivating": // on its way down: not fit to serve
      return "inactive";
    default:
      return "unknown";
  }
}

/** Healthy is `active (running)` [U10]; "active (exited)" means the main process is gone, and a bare
 *  "active" (output cut before the sub-state) proves nothing. */
export function isServiceHealthy(status: SystemctlStatus): boolean {
  return status.state === "active" && status.subState === "running";
}
