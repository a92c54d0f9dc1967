// Several simulated appliances from one configuration: fleet defaults, then each appliance's
// own fields; each keeps its state in <fleet stateDir>/<name> unless it names a stateDir.
import path from "node:path";
import { startAppliance, type SimulatedAppliance } from "./appliance";
import { FleetConfigSchema, type ApplianceConfig, type FleetConfig } from "./config";

export interface SimulatedFleet {
  appliances: SimulatedAppliance[];
  get(name: string): SimulatedAppliance | undefined;
  stop(): Promise<void>;
}

export interface FleetOptions {
  /** Replaces every time scale in the file (the CLI's --time-scale). */
  timeScale?: number;
}

export async function startFleet(input: FleetConfig, opts: FleetOptions = {}): Promise<SimulatedFleet> {
  // Validate the whole file first, then merge what was written: parsed entries carry every
  // default, which would hide the fleet's defaults behind the schema's.
  const cfg = FleetConfigSchema.parse(input);
  const defaults = input.defaults ?? {};
  const appliances: SimulatedAppliance[] = [];
  try {
    for (const a of input.appliances) {
      const merged: ApplianceConfig = {
        timeScale: cfg.timeScale,
        ...defaults,
        ...a,
        faults: { ...defaults.faults, ...a.faults },
        stateDir: path.resolve(a.stateDir ?? path.join(cfg.stateDir, a.name)),
      };
      if (opts.timeScale !== undefined) merged.timeScale = opts.timeScale;
      appliances.push(await startAppliance(merged));
    }
  } catch (e) {
    await Promise.all(appliances.map((a) => a.stop()));
    throw e;
  }
  return {
    appliances,
    get: (name) => appliances.find((a) => a.name === name),
    stop: async () => {
      await Promise.all(appliances.map((a) => a.stop()));
    },
  };
}

/** What the CLI prints and the control server lists: endpoints, fingerprints, state. */
export function describeAppliance(a: SimulatedAppliance) {
  const state = a.state;
  return {
    name: a.name,
    host: a.host,
    sshPort: a.sshPort,
    restPort: a.restPort,
    restUrl: a.restUrl,
    sshHostKeyFingerprint: a.sshHostKeyFingerprint,
    restCertFingerprint: a.restCertFingerprint,
    version: state.version,
    model: state.model,
    state,
    faults: a.faults,
  };
}
