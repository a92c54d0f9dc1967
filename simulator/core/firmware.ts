// What ks_upgrade.sh and ks_downgrade.sh do on the appliance: verify the signed archive, refuse
// what the contract says they refuse, then work for the (scaled) duration and stage the new
// firmware for the next boot. The job belongs to the node, not to the SSH channel that started
// it: a dropped session does not stop an upgrade, and a reboot in the middle breaks the node.
import fs from "node:fs";
import path from "node:path";
import { formatVersion, parseVersion } from "@/lib/domain/version";
import { verifyArchive } from "../verify";
import type { ApplianceNode, FirmwareJob } from "./appliance-node";
import { lockForSchemaUpgrade } from "../cluster/schema-lock";
import { checkFirmwareChange } from "./firmware-rules";
import { DOWNGRADE_TARGETS, TESTED_UPGRADE_PATHS } from "./upgrade-paths";

export interface FirmwareRequest {
  tool: "upgrade" | "downgrade";
  /** Path as the operator typed it (for messages) and its place on the host. */
  shownPath: string;
  localPath: string;
  override: boolean;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const TICKS = 24;
/** The tick at which an upgrade migrates the cluster database schema (locking it if first) [O3]. */
const SCHEMA_TICK = 4;

export async function runFirmwareChange(node: ApplianceNode, req: FirmwareRequest, io: Output): Promise<number> {
  if (node.firmwareJob) return fail(io, `another ${node.firmwareJob.kind} is already running`);
  if (node.state.staged) return fail(io, `a ${node.state.staged.kind} to ${node.state.staged.version} is waiting; reboot the instance to finish the ${node.state.staged.kind}`);
  const stat = fs.statSync(req.localPath, { throwIfNoEntry: false });
  if (!stat?.isFile()) return fail(io, `file ${req.shownPath} not found`);

  const job: FirmwareJob = { kind: req.tool, version: "unknown", abort: new AbortController() };
  node.firmwareJob = job;
  const log = logFile(node, req.tool);
  const say = (line: string) => {
    log.write(line);
    io.out(line);
  };
  const done = (code: number) => {
    if (node.firmwareJob === job) node.firmwareJob = null;
    node.changed();
    return code;
  };
  try {
    say(`WARNING: Do not restart or power-cycle the appliance while the ${req.tool} is running.`);
    say(`Recording log file ${log.name}`);
    say(`Verifying the signature of ${req.shownPath}`);
    const verdict = await verifyArchive(req.localPath, node.vendorKeys);
    if (!verdict.ok) return done(fail(io, `signature verification failed: ${verdict.reason}`, log));
    say(`Signature verified (signer ${verdict.signerFingerprint.toUpperCase()})`);
    const target = verdict.version ? parseVersion(verdict.version) : null;
    if (!target) return done(fail(io, "cannot determine the version of the signed archive", log));
    const current = parseVersion(node.state.version);
    if (!current) return done(fail(io, `installed version ${node.state.version} is unreadable`, log));
    const check = checkFirmwareChange({
      tool: req.tool, current, target, archiveKind: verdict.kind, archiveBytes: stat.size,
      freeBytes: node.disk.freeBytes(), minFreeOverride: node.config.upgradeMinFreeBytes,
      // A stale configuration of a removed node counts: the script sees a cluster configuration [D1].
      clustered: node.cluster !== null, override: req.override,
      testedPaths: node.config.testedUpgradePaths === undefined ? TESTED_UPGRADE_PATHS : node.config.testedUpgradePaths,
      downgradeTargets: node.config.downgradeTargets === undefined ? DOWNGRADE_TARGETS : node.config.downgradeTargets,
    });
    if (!check.ok) return done(fail(io, check.message, log));
    if (check.overriddenPath) say("WARNING: this upgrade path has not been tested; continuing because -o was given");

    job.version = formatVersion(target);
    if (req.tool === "downgrade") say("WARNING: the downgrade resets this CipherTrust Manager: all data except existing backup files will be wiped.");
    say(`${req.tool === "upgrade" ? "Upgrading" : "Downgrading"} from ${node.state.version} to ${job.version}`);
    say("Stopping services");
    node.changed();
    const completed = await workThroughTicks(node, job, say);
    if (completed === "aborted") return done(255);
    if (completed === "failed") {
      node.services.setAll("started");
      say("ERROR: database migration step failed (exit status 1); the previous version was restored");
      return done(fail(io, `${capital(req.tool)} to ${job.version} failed; see the log file for details`, log));
    }
    node.services.setAll("started");
    node.state.staged = { kind: req.tool, version: job.version, archive: req.shownPath };
    node.saveState();
    say(`${capital(req.tool)} to ${job.version} succeeded`);
    say(`Reboot the instance to finish the ${req.tool}`);
    return done(0);
  } catch (e) {
    return done(fail(io, `unexpected failure: ${(e as Error).message}`, log));
  }
}

/** Services bounce while the firmware is applied; the console sees error/starting lines. */
async function workThroughTicks(node: ApplianceNode, job: FirmwareJob, say: (l: string) => void): Promise<"ok" | "failed" | "aborted"> {
  const seconds = job.kind === "upgrade" ? node.config.upgradeSeconds : node.config.upgradeSeconds / 2;
  const failAt = node.faults.upgradeFails ? Math.floor(TICKS * 0.6) : -1;
  for (let i = 0; i < TICKS; i++) {
    if (!(await node.scheduler.sleep(seconds / TICKS, job.abort.signal))) return "aborted";
    if (i === failAt) return "failed";
    if (i === SCHEMA_TICK && job.kind === "upgrade") lockForSchemaUpgrade(node, job.version);
    const status = i < (TICKS * 2) / 3 && i % 2 === 0 ? "error" : "starting";
    node.services.setAll(status);
    node.changed();
    say(`status: ${status}`);
  }
  return "ok";
}

interface LogFile {
  name: string;
  write(line: string): void;
}

function fail(io: Output, message: string, log?: LogFile): number {
  log?.write(`ERROR: ${message}`);
  io.err(`ERROR: ${message}`);
  return 1;
}

/** The run's log, written line by line (synchronously: it is whole when the script exits). */
function logFile(node: ApplianceNode, tool: string): LogFile {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  const name = `ks_${tool}_${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.log`;
  const file = path.join(node.logsDir, name);
  return { name, write: (line) => fs.appendFileSync(file, `${line}\n`) };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
