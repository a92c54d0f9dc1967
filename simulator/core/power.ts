// Power transitions: boot (services start over serviceStartSeconds), reboot (listeners closed
// for rebootSeconds, staged firmware applied, maybe never back), stop and reset.
import fs from "node:fs/promises";
import { forgetCluster } from "../cluster/membership";
import type { ApplianceNode } from "./appliance-node";
import { freshNodeState } from "./node-state";

/** `instant`: services are up at once; `fresh`: a start from scratch, so serviceFails waits for a reboot. */
export async function boot(node: ApplianceNode, opts: { instant?: boolean; fresh?: boolean } = {}): Promise<void> {
  const gen = ++node.generation;
  node.phase = "up";
  node.bootedAt = new Date();
  node.services.setAll("starting");
  failInterruptedBackups(node);
  await node.disk.rescan();
  await node.network?.open();
  node.changed();
  const finish = () => {
    if (node.generation !== gen) return;
    node.services.setAll("started");
    if ((node.faults.serviceFails && !opts.fresh) || node.state.broken) node.services.set("keysecure", "error");
    node.changed();
  };
  if (opts.instant) return finish();
  // The API gateway comes up first, so a client can watch the other services start.
  node.scheduler.after(node.config.serviceStartSeconds / 3, () => {
    if (node.generation !== gen) return;
    node.services.set("api-gateway", "started");
    node.changed();
  });
  node.scheduler.after(node.config.serviceStartSeconds, finish);
}

/** Like `sudo reboot`: resolves once the node is back (or known to stay down). */
export async function reboot(node: ApplianceNode): Promise<void> {
  if (node.phase !== "up") return;
  const gen = ++node.generation;
  node.phase = "rebooting";
  const job = node.firmwareJob;
  if (job) {
    // The vendor warns against exactly this: the half-applied firmware leaves keysecure failing.
    job.abort.abort();
    node.firmwareJob = null;
    node.state.broken = `rebooted during the ${job.kind} to ${job.version}`;
  }
  node.services.setAll("disabled");
  node.saveState();
  await node.network?.close();
  const slept = await node.scheduler.sleep(node.config.rebootSeconds + node.faults.slowReturn, node.lifetime.signal);
  if (!slept || node.generation !== gen) return;
  applyStagedChange(node);
  if (node.pendingFactoryReset) applyFactoryReset(node);
  if (node.faults.hostKeyChanged) {
    node.hostKeys?.regenerate();
    node.applyFaults({ hostKeyChanged: false });
  }
  if (node.faults.neverReturns) {
    node.phase = "down";
    node.changed();
    return;
  }
  try {
    await boot(node);
  } catch (e) {
    // A port taken while the node was down: it stays dark, like hardware that failed to boot.
    process.stderr.write(`simulator: ${node.config.name} could not come back: ${(e as Error).message}\n`);
    await node.network?.close();
    node.phase = "down";
    node.changed();
  }
}

/** The firmware a finished ks_upgrade.sh / ks_downgrade.sh staged takes effect at boot. */
function applyStagedChange(node: ApplianceNode): void {
  const staged = node.state.staged;
  if (!staged) return;
  node.record.add("event", `firmware ${node.state.version} -> ${staged.version} (${staged.kind})`);
  node.state.version = staged.version;
  node.state.staged = null;
  // A downgrade resets the appliance: all data and the cluster configuration go, existing backup files stay [D3].
  if (staged.kind === "downgrade") wipeData(node);
  node.saveState();
}

function wipeData(node: ApplianceNode): void {
  forgetCluster(node);
  node.ownData.wipe();
}

/**
 * [I] A factory reset: back to the factory firmware with a fresh database, no cluster and new
 * token keys; backup files stay (so a backup can be restored afterwards [D6]), as does ksadmin's home.
 */
function applyFactoryReset(node: ApplianceNode): void {
  node.pendingFactoryReset = false;
  const factory = node.config.factoryVersion ?? node.config.version;
  node.record.add("event", `factory reset: firmware ${node.state.version} -> ${factory}, data wiped`);
  wipeData(node);
  node.state = { ...freshNodeState(factory), initialVersion: node.state.initialVersion, backups: node.state.backups };
  node.saveState();
}

function failInterruptedBackups(node: ApplianceNode): void {
  let touched = false;
  for (const b of node.state.backups) {
    if (b.status !== "in_progress") continue;
    b.status = "failed";
    b.updatedAt = new Date().toISOString();
    touched = true;
  }
  if (touched) node.saveState();
}

/** Ends the current life: timers, jobs and sleeps stop; a new controller serves the next one. */
function endLife(node: ApplianceNode): void {
  node.lifetime.abort();
  node.lifetime = new AbortController();
  node.generation++;
  node.scheduler.cancelAll();
  node.firmwareJob?.abort.abort();
  node.firmwareJob = null;
}

export async function stop(node: ApplianceNode): Promise<void> {
  endLife(node);
  node.phase = "stopped";
  await node.network?.close();
  node.changed();
}

/** Back to the configured starting point (version, empty home, no backups); keys stay. */
export async function reset(node: ApplianceNode): Promise<void> {
  endLife(node);
  await node.network?.close();
  await emptyDir(node.homeDir);
  await emptyDir(node.backupsDir);
  node.state = freshNodeState(node.config.version);
  node.pendingFactoryReset = false;
  node.saveState();
  // Cluster membership belongs to the fleet and stays; the node's own database starts afresh.
  node.ownData.wipe();
  node.record.clear();
  node.applyFaults({ ...node.config.faults });
  node.disk.filled = false;
  await boot(node, { instant: true, fresh: true });
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir)) await fs.rm(`${dir}/${entry}`, { recursive: true, force: true });
}
