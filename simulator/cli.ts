// tsx simulator/cli.ts --config simulator/fleets/demo.json [--control-port N] [--time-scale X] [--free-ports]
// Starts a fleet and its control server, prints one JSON line with the endpoints, and runs
// until SIGTERM or SIGINT. Relative paths in the file are taken from the working directory.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { startControlServer } from "./control-server";
import { describeAppliance, startFleet } from "./fleet";

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    "control-port": { type: "string" },
    "time-scale": { type: "string" },
    "free-ports": { type: "boolean" },
  },
});

if (!values.config) {
  process.stderr.write("usage: tsx simulator/cli.ts --config <fleet.json> [--control-port N] [--time-scale X] [--free-ports]\n");
  process.exit(2);
}

const file = JSON.parse(fs.readFileSync(values.config, "utf8")) as { controlPort?: number };
const timeScale = values["time-scale"] === undefined ? undefined : Number(values["time-scale"]);
if (timeScale !== undefined && !(timeScale >= 0)) {
  process.stderr.write(`--time-scale must be a number >= 0, not ${values["time-scale"]}\n`);
  process.exit(2);
}

let fleet: Awaited<ReturnType<typeof startFleet>>;
let control: Awaited<ReturnType<typeof startControlServer>>;
try {
  fleet = await startFleet(file as Parameters<typeof startFleet>[0], { timeScale, freePorts: values["free-ports"] === true });
  control = await startControlServer(fleet, { port: values["control-port"] ? Number(values["control-port"]) : (file.controlPort ?? 0) });
} catch (e) {
  process.stderr.write(`simulator: could not start: ${(e as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ control: control.url, appliances: fleet.appliances.map(describeAppliance) })}\n`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`simulator: ${signal}, stopping\n`);
  await control.close();
  await fleet.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
