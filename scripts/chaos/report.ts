// docs/RELIABILITY.md and docs/reliability.json from a chaos run: per fault, how often it was
// injected, what became of the plans, and how many invariants broke (the number that must be 0).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { InjectionResult } from "./inject";

export interface ChaosRun {
  command: string;
  seed: number;
  startedAt: string;
  durationSeconds: number;
  results: (InjectionResult & { error?: string })[];
}

const WHAT: Record<string, string> = {
  "kill-upload": "worker SIGKILL while upload-archive streams the archive",
  "kill-script": "worker SIGKILL while ks_upgrade.sh runs",
  "kill-wait": "worker SIGKILL while wait-return waits for the reboot",
  "redis-restart": "redis-server SIGKILL (nothing saved) and restarted mid-step",
  "postgres-restart": "Postgres stopped and started mid-step",
  "two-workers": "two worker processes, duplicate jobs for every due step",
  "ssh-drop": "SSH connection cut after a random number of uploaded bytes",
  "never-returns": "appliance never comes back after the reboot (then boots)",
  "disk-fills": "disk fills during the upload (then space is freed)",
  "host-key-changed": "new SSH host key at the reboot (then an admin accepts it)",
  "two-plans": "two online in-place plans launched at once on one simulated 3-node cluster",
};

function summarize(results: ChaosRun["results"]) {
  const byFault = new Map<string, ChaosRun["results"]>();
  for (const r of results) byFault.set(r.fault, [...(byFault.get(r.fault) ?? []), r]);
  return [...byFault].map(([fault, rs]) => {
    const outcomes = new Map<string, number>();
    for (const r of rs) {
      const key = r.error ? "harness error" : r.outcome.replace(/ \(.*\)/, "");
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    return {
      fault, what: WHAT[fault] ?? fault, runs: rs.length, injected: rs.filter((r) => r.injected).length,
      outcomes: Object.fromEntries(outcomes), violations: rs.flatMap((r) => r.violations),
    };
  });
}

export function writeReport(docsDir: string, run: ChaosRun): { violations: number } {
  const rows = summarize(run.results);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const machine = `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
  const lines = [
    "# Reliability",
    "",
    "Written by `npm run chaos` (`scripts/chaos.ts`): a private Postgres and redis-server, real worker processes",
    "(`workers/main.ts`), simulated appliances, and plans created and launched through `lib/plans`. Each fault is",
    "injected at a random point of a real plan; afterwards `lib/testing/invariants.ts` checks that the firmware script",
    "started at most once per hop (from the appliance's own record), every plan ended truthfully (succeeded, or failed",
    "or paused with the failing step and reason), no step is left running, and the audit trail has every finished step.",
    "A plan stopped by a fault a person can clear is resumed after clearing it and must then finish.",
    "",
    `- command: \`${run.command}\``,
    `- seed: ${run.seed} (rerun the same points with \`--seed ${run.seed}\`)`,
    `- started: ${run.startedAt}, duration: ${Math.round(run.durationSeconds)} s`,
    `- machine: ${machine}`,
    "",
    "| fault | runs | injected | outcomes | invariant violations |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| \`${r.fault}\`: ${r.what} | ${r.runs} | ${r.injected} | ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join("; ")} | ${r.violations.length} |`),
    "",
  ];
  const all = rows.flatMap((r) => r.violations.map((v) => `- \`${r.fault}\`: ${v}`));
  const errors = run.results.filter((r) => r.error).map((r) => `- \`${r.fault}\`: ${r.error}`);
  if (all.length) lines.push("## Violations", "", ...all, "");
  if (errors.length) lines.push("## Harness errors", "", ...errors, "");
  lines.push("A run counts as injected when the fault met the plan at the chosen point (a plan can finish before it).", "",
    "`kill-script`: a worker killed while ks_upgrade.sh runs leaves an outcome nobody knows; the step never starts the script again",
    "by itself and the plan fails naming the step, for a person to check the appliance's log (`workers/steps/firmware-once.ts`).",
    "`two-plans`: a fresh simulated 3-node cluster is enrolled and two online in-place plans (no maintenance window needed) are",
    "launched at the same moment. Exactly one launch may take the lock, on every node at once (otherwise a violation); the other",
    "plan must stay unlaunched with no step started; the invariants read all three nodes' records. The outcome is the winner's.", "");
  fs.writeFileSync(path.join(docsDir, "RELIABILITY.md"), lines.join("\n"));
  fs.writeFileSync(path.join(docsDir, "reliability.json"), `${JSON.stringify({ ...run, machine, summary: rows }, null, 2)}\n`);
  return { violations: all.length + errors.length };
}
