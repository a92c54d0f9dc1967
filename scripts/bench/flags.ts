// `npm run bench` flags: sizes with units, lists, and a clear refusal naming the bad one.
import { parseArgs } from "node:util";
import type { BenchFlags } from "./types";

const UNITS: Record<string, number> = { b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** "2GiB", "512MiB", "1g", "1048576" → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] || "b").toLowerCase()];
  if (!m || unit === undefined) throw new Error(`--archive-size must be a size like 2GiB, 512MiB or a number of bytes, not "${text}".`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < 1024) throw new Error(`--archive-size must be at least 1 KiB, not "${text}".`);
  return bytes;
}

function count(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${text}".`);
  return n;
}

// Defaults sized to finish in about a quarter of an hour on 2 cores; the full sizes are flags
// (`--archive-size 2GiB --appliances 1000`), see docs/PERFORMANCE.md for what each costs.
export const DEFAULTS = { archiveSize: "512MiB", nodes: "10", appliances: "30", viewers: "50", fleetSize: "10000" };

export function parseBenchFlags(argv: string[], known: string[]): BenchFlags & { docs: string | undefined } {
  const { values } = parseArgs({
    args: argv,
    options: {
      "archive-size": { type: "string", default: DEFAULTS.archiveSize },
      nodes: { type: "string", default: DEFAULTS.nodes },
      appliances: { type: "string", default: DEFAULTS.appliances },
      viewers: { type: "string", default: DEFAULTS.viewers },
      "fleet-size": { type: "string", default: DEFAULTS.fleetSize },
      only: { type: "string" },
      docs: { type: "string" },
    },
  });
  const only = values.only ? values.only.split(",").map((s) => s.trim()).filter(Boolean) : [];
  const unknown = only.filter((id) => !known.includes(id));
  if (unknown.length) throw new Error(`--only names benchmarks ${known.join(", ")}; not ${unknown.join(", ")}.`);
  return {
    archiveBytes: parseSize(values["archive-size"]!),
    nodes: count("nodes", values.nodes!, 1),
    appliances: count("appliances", values.appliances!, 1),
    viewers: count("viewers", values.viewers!, 1),
    fleetSize: count("fleet-size", values["fleet-size"]!, 1),
    only,
    docs: values.docs,
  };
}
