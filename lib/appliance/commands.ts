// The contract's SSH commands as functions over a session. Command lines come from the driver
// profile; these functions add meaning: what counts as success, what to parse, what to keep.
import { AppError } from "@/lib/errors";
import { parseDfOutput, type DfParse } from "@/lib/domain/df-output";
import { isServiceHealthy, parseSystemctlStatus, type SystemctlStatus } from "@/lib/domain/systemctl";
import type { SshSession, ExecResult } from "./ssh-session";
import { DEFAULT_DRIVER_PROFILE, renderArgv, type DriverProfile } from "./driver-profile";
import { LineSplitter, lastLines } from "./output-tail";

export interface CommandOptions {
  profile?: DriverProfile;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Raw text and exit code, kept as evidence next to any parsed reading. */
export interface RawCommandOutput {
  text: string;
  stderr: string;
  exitCode: number | null;
}

function profileOf(opts: CommandOptions): DriverProfile {
  return opts.profile ?? DEFAULT_DRIVER_PROFILE;
}

function refused(session: SshSession, what: string, r: ExecResult): AppError {
  const words = lastLines(r.stderr || r.stdout, 3).join(" / ") || "no output";
  return new AppError("appliance-refused", `${session.endpoint.host}: ${what} exited ${r.exitCode ?? r.signal ?? "without status"}: ${words}`, {
    exitCode: r.exitCode,
    stderrTail: r.stderr.slice(-4096),
    stdoutTail: r.stdout.slice(-4096),
  });
}

async function runRaw(session: SshSession, argv: string[], opts: CommandOptions): Promise<RawCommandOutput> {
  const r = await session.exec(argv, { timeoutMs: opts.timeoutMs ?? profileOf(opts).timeoutsMs.command, signal: opts.signal });
  return { text: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

/** `df` of `/`, parsed by lib/domain (an unreadable layout is a value there, not an exception). */
export async function readDiskFree(session: SshSession, opts: CommandOptions = {}): Promise<RawCommandOutput & { df: DfParse }> {
  const raw = await runRaw(session, renderArgv(profileOf(opts).commands.diskFree), opts);
  if (raw.exitCode !== 0) throw refused(session, "df", { stdout: raw.text, stderr: raw.stderr, exitCode: raw.exitCode });
  return { ...raw, df: parseDfOutput(raw.text) };
}

/** `systemctl status keysecure`; exit 3 (not running) is an answer, not a failure. */
export async function readServiceStatus(
  session: SshSession,
  opts: CommandOptions = {},
): Promise<RawCommandOutput & { status: SystemctlStatus; healthy: boolean }> {
  const raw = await runRaw(session, renderArgv(profileOf(opts).commands.serviceStatus), opts);
  const status = parseSystemctlStatus(raw.text || raw.stderr, raw.exitCode);
  return { ...raw, status, healthy: isServiceHealthy(status) };
}

/** Lowercase hex SHA-256 of a file on the appliance; appliance-refused if it cannot be read. */
export async function sha256OfRemoteFile(session: SshSession, path: string, opts: CommandOptions = {}): Promise<string> {
  // Hashing 5 GB takes a while; allow ten times the usual command time unless told otherwise.
  const timeoutMs = opts.timeoutMs ?? profileOf(opts).timeoutsMs.command * 10;
  const r = await session.exec(renderArgv(profileOf(opts).commands.sha256, { path }), { timeoutMs, signal: opts.signal });
  if (r.exitCode !== 0) throw refused(session, `sha256sum of ${path}`, r);
  const m = /^\\?([0-9a-fA-F]{64})\s/.exec(r.stdout);
  if (!m?.[1]) throw new AppError("appliance-error", `${session.endpoint.host}: unexpected sha256sum output: ${r.stdout.slice(0, 200)}`);
  return m[1].toLowerCase();
}

export interface FirmwareRunOptions extends CommandOptions {
  /** `-o`: pass-through upgrades, or a downgrade on a clustered node. */
  override?: boolean;
  /** Each output line (stdout and stderr) as it arrives. */
  onLine?(line: string, stream: "stdout" | "stderr"): void;
}

export interface FirmwareRunResult {
  exitCode: number | null;
  succeeded: boolean;
  /** The version named by `Upgrade to X succeeded`; null for downgrades and failures. */
  targetVersion: string | null;
  rebootRequested: boolean;
  lastLines: string[];
}

/**
 * `ks_upgrade.sh -f <archive> [-o]`. Success needs exit 0 and the vendor's success line. If the
 * connection drops mid-run this rejects with appliance-unreachable and the outcome is unknown:
 * the caller must observe the appliance before deciding anything, and must not simply run it again.
 */
export function runUpgrade(session: SshSession, archivePath: string, opts: FirmwareRunOptions = {}): Promise<FirmwareRunResult> {
  const p = profileOf(opts);
  const argv = [...renderArgv(p.commands.upgrade, { archive: archivePath }), ...(opts.override ? p.commands.overrideFlag : [])];
  return runFirmwareTool(session, argv, opts.timeoutMs ?? p.timeoutsMs.upgrade, p, opts, true);
}

/** `ks_downgrade.sh -f <file> [-o]`. Its output is not public: success is exit 0 alone. */
export function runDowngrade(session: SshSession, archivePath: string, opts: FirmwareRunOptions = {}): Promise<FirmwareRunResult> {
  const p = profileOf(opts);
  const argv = [...renderArgv(p.commands.downgrade, { archive: archivePath }), ...(opts.override ? p.commands.overrideFlag : [])];
  return runFirmwareTool(session, argv, opts.timeoutMs ?? p.timeoutsMs.downgrade, p, opts, false);
}

async function runFirmwareTool(
  session: SshSession,
  argv: string[],
  timeoutMs: number,
  p: DriverProfile,
  opts: FirmwareRunOptions,
  needsSuccessLine: boolean,
): Promise<FirmwareRunResult> {
  const success = new RegExp(p.patterns.upgradeSucceeded);
  const reboot = new RegExp(p.patterns.rebootRequested);
  let targetVersion: string | null = null;
  let rebootRequested = false;
  const seen = (line: string) => {
    const m = success.exec(line);
    if (m) targetVersion = m[1] ?? targetVersion;
    if (reboot.test(line)) rebootRequested = true;
  };
  const out = new LineSplitter((l) => {
    seen(l);
    opts.onLine?.(l, "stdout");
  });
  const err = new LineSplitter((l) => {
    seen(l);
    opts.onLine?.(l, "stderr");
  });
  const r = await session.exec(argv, {
    timeoutMs,
    signal: opts.signal,
    onStdout: (t) => out.push(t),
    onStderr: (t) => err.push(t),
  });
  out.flush();
  err.flush();
  const tail = lastLines(r.stdout + (r.stderr ? `\n${r.stderr}` : ""), 40);
  const succeeded = r.exitCode === 0 && (!needsSuccessLine || targetVersion !== null);
  return { exitCode: r.exitCode, succeeded, targetVersion: needsSuccessLine ? targetVersion : null, rebootRequested, lastLines: tail };
}

/** `sudo reboot`. The connection dropping is the expected success; a refusal is an error. */
export async function rebootAppliance(session: SshSession, opts: CommandOptions = {}): Promise<void> {
  const p = profileOf(opts);
  try {
    const r = await session.exec(renderArgv(p.commands.reboot), { timeoutMs: opts.timeoutMs ?? p.timeoutsMs.reboot, signal: opts.signal });
    if (r.exitCode !== 0 && r.exitCode !== null) throw refused(session, "reboot", r);
  } catch (e) {
    if (e instanceof AppError && e.code === "appliance-unreachable") return;
    throw e;
  }
}

async function runExpectingSuccess(session: SshSession, name: "leaveCluster" | "disableClientTraffic" | "enableClientTraffic", opts: CommandOptions) {
  const p = profileOf(opts);
  const argv = renderArgv(p.commands[name]);
  const r = await session.exec(argv, { timeoutMs: opts.timeoutMs ?? p.timeoutsMs.command, signal: opts.signal });
  if (r.exitCode !== 0) throw refused(session, argv.join(" "), r);
  return { text: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}

/** `ksctl cluster delete -y`: the node leaves its cluster (remove/rebuild method). */
export function deleteClusterConfig(session: SshSession, opts: CommandOptions = {}): Promise<RawCommandOutput> {
  return runExpectingSuccess(session, "leaveCluster", opts);
}

/** Profile operation [I]: take client traffic off this node (offline method). */
export function disableClientTraffic(session: SshSession, opts: CommandOptions = {}): Promise<RawCommandOutput> {
  return runExpectingSuccess(session, "disableClientTraffic", opts);
}

/** Profile operation [I]: give client traffic back to this node. */
export function enableClientTraffic(session: SshSession, opts: CommandOptions = {}): Promise<RawCommandOutput> {
  return runExpectingSuccess(session, "enableClientTraffic", opts);
}
