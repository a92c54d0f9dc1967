// Benchmark 3, orchestration at scale: `flags.appliances` simulated appliances (half as 3-node
// clusters upgraded online one node at a time, half standalone), every plan launched at once and
// run by a real worker process, beside the compiled plans' critical path. Benchmark 6, scale-out:
// a quarter of that fleet run once by one worker process and once by two sharing the queue.
import type { Bench, BenchContext, BenchResult, BenchRow } from "./types";
import { runOrchestration, type OrchestrationResult } from "./orchestration-run";

/**
 * Real seconds per simulated second, from the fleet's size: the simulator, the worker and Postgres
 * share this machine's cores, so the simulated durations must stretch with the fleet for them to
 * dominate (0.08 at 100 appliances: a 3-node cluster's upgrade then lasts 180 s). The measured
 * cost of a step (the note) sets the slope.
 */
export function timeScaleFor(appliances: number): number {
  return Math.min(1, Math.max(0.02, Math.round(appliances * 0.0008 * 1000) / 1000));
}

/** Every node's steps at once fit one process: the cap only stops a runaway fleet. */
const concurrencyFor = (appliances: number) => Math.max(20, appliances * 2);

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function describeRun(r: OrchestrationResult): string {
  return `${r.appliances} appliances (${r.clusters} 3-node clusters rolling online, ${r.standalones} standalone; ${r.plans} plans, ${r.steps} steps)`;
}

function failureNote(r: OrchestrationResult): string {
  if (r.failures.length === 0) return "";
  return ` ${r.failures.length} of ${r.plans} plans did not succeed (first: ${r.failures[0]!.slice(0, 200)}), so the goal is not met whatever the time.`;
}

function overheadNote(r: OrchestrationResult): string {
  const worst = [...r.overheads].sort((a, b) => (b.meanDispatchMs + b.meanExcessMs) - (a.meanDispatchMs + a.meanExcessMs)).slice(0, 4);
  return worst.map((o) => `${o.kind} ${Math.round(o.meanDispatchMs)} ms to be claimed + ${Math.round(o.meanExcessMs)} ms beyond its simulated time`).join("; ");
}

async function runScale(ctx: BenchContext): Promise<BenchResult> {
  const appliances = ctx.flags.appliances;
  const timeScale = timeScaleFor(appliances);
  const r = await runOrchestration(ctx, { label: "orchestration", appliances, workers: 1, timeScale, concurrency: concurrencyFor(appliances) });
  const cpu = sum(r.workerCpuSeconds);
  const ok = r.failures.length === 0;
  const rows: BenchRow[] = [
    {
      id: "3a", figure: `orchestration, ${describeRun(r)}, time scale ${timeScale}: makespan, first launch to last plan's end`,
      ours: round(r.makespanSeconds, 1), baseline: round(r.criticalPathSeconds, 1), unit: "s", better: "lower", goal: "≤ 1.05 × critical path",
      met: ok && r.makespanSeconds <= 1.05 * r.criticalPathSeconds, note: `launching all ${r.plans} plans took ${round(r.launchSeconds, 1)} s.${failureNote(r)}`,
    },
    {
      id: "3b", figure: `orchestration, ${r.appliances} appliances: worker CPU time per node-step (utime + stime)`,
      ours: round((cpu / r.steps) * 1000, 1), baseline: null, unit: "ms", better: "lower", goal: "reported", met: true,
      note: `${round(cpu, 1)} s over ${r.steps} steps; the simulator used ${round(r.simulatorCpuSeconds, 1)} s, this process's launches ${round(r.launchCpuSeconds, 1)} s`,
    },
    {
      id: "3c", figure: `orchestration, ${r.appliances} appliances: database transactions per node-step (pg_stat_database)`,
      ours: round(r.transactions / r.steps, 1), baseline: null, unit: "transactions", better: "lower", goal: "reported", met: true,
      note: `${r.transactions} transactions (each Prisma query outside a transaction is one), launch to end, the reconciler's passes included`,
    },
  ];
  const notes = [
    `Method: one simulator process (\`simulator/cli.ts\`) hosts ${r.appliances} appliances, each on a loopback address of its own (127.20.x.y standalone, 127.30.x.y cluster nodes; Linux routes 127/8 to lo), at time scale ${timeScale} (a 600 s ks_upgrade.sh lasts ${round(600 * timeScale, 1)} s). They are enrolled by writing the rows enrolment writes (probing ${r.appliances} appliances over SSH and TLS would take minutes and measure enrolment); the plans are created through \`createPlan\` (prechecks observe every node over SSH and REST), their backup gate is an attested confirmation, and all ${r.plans} are launched through \`launchPlan\`, 8 at a time, while one real worker process (\`workers/main.ts\`, FLEET_WORKER_CONCURRENCY=${concurrencyFor(appliances)}, FLEET_DEADLINE_SCALE=${Math.max(timeScale, 0.25)}: deadlines are a safety net and get headroom on a loaded machine) runs them over SSH, SFTP and HTTPS against the simulator. Every plan uploads a 1 MiB signed archive. Setup took ${Math.round(r.setupSeconds)} s and is not measured.`,
    `Makespan runs from the first launch call to the latest \`finishedAt\` of the plans and their steps. The baseline is the critical path of the compiled plans (\`scripts/bench/critical-path.ts\`, unit-tested): the longest path through each plan's step graph where a step costs what the simulator makes it last (ks_upgrade.sh 600 s, the reboot 120 s plus the services' start 30 s, scaled) and everything else costs nothing; the max over plans is a 3-node cluster's ${round(r.criticalPathSeconds, 1)} s. CPU is the worker process's utime + stime from /proc over the same span; transactions are \`xact_commit + xact_rollback\` of the run's database in \`pg_stat_database\` (pg_stat_statements is not loaded on this server), less the benchmark's own polls. A node-step is a step row the plans ran (succeeded or skipped): ${r.steps}, of which ${r.nodeSteps} on one node.`,
    `Makespan was ${round(r.makespanSeconds / r.criticalPathSeconds)} × the critical path. What bounds it is the console's cost per step, paid in sequence: a 3-node rolling plan is a chain of about 25 steps, and every one waits to be claimed and runs longer than the simulator makes it last. Mean per step kind over every plan: ${overheadNote(r)}. Each step costs the worker about ${round((cpu / r.steps) * 1000, 0)} ms of CPU, most of it in Prisma's query handling for the ~${round(r.transactions / r.steps, 0)} queries a step makes (claim, reads, plan events, the audit chain under its advisory lock, the plan's advance) and in SSH and REST work (a worker keeps its connections to an appliance between that appliance's steps, so handshakes are paid about once per node, and again after its reboot). At ${r.appliances} appliances that is ${round(cpu, 0)} s of one core beside ${round(r.simulatorCpuSeconds, 0)} s for the simulator and Postgres's share, on 2 cores: the time scale grows with the fleet (\`timeScaleFor\`) so the simulated durations dominate. At 1000 appliances the same cost is about ${Math.round(((cpu + r.simulatorCpuSeconds) / r.appliances) * 1000 / 60)} minutes of CPU, so a run whose makespan means anything needs a time scale near 0.8 (a 30-minute critical path) on this machine: run it with \`--appliances 1000\` when that time is there.`,
  ];
  return { rows, notes };
}

async function runScaleOut(ctx: BenchContext): Promise<BenchResult> {
  const appliances = Math.max(10, Math.floor(ctx.flags.appliances / 4));
  const timeScale = timeScaleFor(appliances);
  const common = { appliances, timeScale, concurrency: concurrencyFor(appliances), countClaims: true };
  const one = await runOrchestration(ctx, { ...common, label: "scaleout1", workers: 1 });
  const two = await runOrchestration(ctx, { ...common, label: "scaleout2", workers: 2 });
  const claims = two.claimsPerWorker;
  const claimed = sum(claims);
  const smaller = claimed ? Math.min(...claims) / claimed : 0;
  const ok = one.failures.length === 0 && two.failures.length === 0;
  const rows: BenchRow[] = [
    {
      id: "6a", figure: `scale-out, ${describeRun(two)}, time scale ${timeScale}: makespan with 2 worker processes vs 1`,
      ours: round(two.makespanSeconds, 1), baseline: round(one.makespanSeconds, 1), unit: "s", better: "lower", goal: "≤ 1.05 × one worker's",
      met: ok && two.makespanSeconds <= 1.05 * one.makespanSeconds,
      note: `critical path ${round(two.criticalPathSeconds, 1)} s.${failureNote(one)}${failureNote(two)}`,
    },
    {
      id: "6b", figure: `scale-out, ${appliances} appliances: share of the claimed steps run by the less busy of 2 worker processes`,
      ours: round(smaller * 100, 1), baseline: null, unit: "%", better: "higher", goal: "≥ 30 % (both share the load)", met: ok && smaller >= 0.3,
      note: `steps claimed per worker: ${claims.join(" and ")} (debug log line "step claimed"); CPU per worker ${two.workerCpuSeconds.map((c) => `${round(c, 1)} s`).join(" and ")} vs ${round(sum(one.workerCpuSeconds), 1)} s for one`,
    },
    {
      id: "6c", figure: `scale-out, ${appliances} appliances: database transactions per node-step, 2 workers vs 1`,
      ours: round(two.transactions / two.steps, 1), baseline: round(one.transactions / one.steps, 1), unit: "transactions", better: "lower", goal: "reported (each worker runs its own reconciler)", met: true,
    },
  ];
  const notes = [
    `Method: the run of benchmark 3 at a quarter of its size (${appliances} appliances, time scale ${timeScale}), once with one worker process and once with two started against the same Postgres database, Redis and FLEET_QUEUE_PREFIX, as two machines would run them. BullMQ hands each job to whichever worker asks first; Postgres's conditional claim makes sure a step runs once. Each worker prints a debug line per step it claims (LOG_LEVEL=debug), counted per process. On this 2-core machine the simulator, Postgres and both workers share the cores, so a second worker cannot make the run faster when the simulated durations dominate: what it shows is that the load is shared and nothing is lost or run twice (every plan succeeded: ${ok ? "yes" : "no"}). docs/scale-out.md explains running workers on many machines and what limits the fleet's size.`,
  ];
  return { rows, notes };
}

export const bench: Bench = { id: "3", title: "Orchestration at scale", run: runScale };
export const scaleOutBench: Bench = { id: "6", title: "Scale-out: two worker processes", run: runScaleOut };
