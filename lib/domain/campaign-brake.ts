// The failure brake: any canary failure halts the campaign; in a later wave, more than
// maxFailures failures, or more than maxFailurePercent % of the wave, halts it. Either limit trips it.

export interface BrakeConfig {
  maxFailures: number;
  maxFailurePercent: number;
}

export interface WaveFailures {
  name: string;
  canary: boolean;
  /** Targets in the wave (the percentage's base). */
  size: number;
  /** Names of the wave's failed targets, with their reasons. */
  failed: readonly { name: string; reason: string | null }[];
}

export type BrakeVerdict = { tripped: false } | { tripped: true; reason: string };

export function checkBrake(wave: WaveFailures, brake: BrakeConfig): BrakeVerdict {
  const failures = wave.failed.length;
  if (failures === 0) return { tripped: false };
  const who = wave.failed.map((f) => `${f.name}${f.reason ? ` (${f.reason})` : ""}`).join("; ");
  if (wave.canary) return { tripped: true, reason: `The canary ${wave.name} failed: ${who}. Nothing else starts.` };
  const percent = wave.size > 0 ? (failures * 100) / wave.size : 100;
  if (failures > brake.maxFailures) {
    return { tripped: true, reason: `${wave.name}: ${failures} of ${wave.size} targets failed, more than the brake's ${brake.maxFailures}: ${who}. Nothing else starts.` };
  }
  if (percent > brake.maxFailurePercent) {
    return { tripped: true, reason: `${wave.name}: ${failures} of ${wave.size} targets failed (${round(percent)} %), more than the brake's ${brake.maxFailurePercent} %: ${who}. Nothing else starts.` };
  }
  return { tripped: false };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
