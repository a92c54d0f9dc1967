// docs/PERFORMANCE.md and docs/performance.json from one `npm run bench` run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ratioOf, type BenchFlags, type BenchRow } from "./types";

export interface BenchOutcome {
  id: string;
  title: string;
  rows: BenchRow[];
  notes: string[];
  seconds: number;
  /** Set when the benchmark itself failed (its rows are then whatever it measured before). */
  error?: string;
}

export interface BenchRun {
  command: string;
  flags: BenchFlags;
  startedAt: Date;
  seconds: number;
  outcomes: BenchOutcome[];
}

export function machine(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  return `${cpus.length} × ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Numbers as a person reads them: three significant figures, no exponent. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return "0";
  return n.toPrecision(2);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export function renderMarkdown(run: BenchRun): string {
  const lines: string[] = [];
  lines.push("# Performance", "");
  lines.push("Written by `npm run bench` (`scripts/bench.ts`). Every figure is measured beside its baseline in the same run,");
  lines.push("so the ratio holds even when the machine is busy; \"ratio\" is how many times the baseline we do (above 1 is better");
  lines.push("than the baseline, whether more or less of the unit is better). Absolute bounds (memory, latency) have no baseline.", "");
  lines.push(`- command: \`${run.command}\``);
  const f = run.flags;
  lines.push(`- sizes: archive ${formatBytes(f.archiveBytes)}, ${f.nodes} nodes in parallel, ${f.appliances} appliances orchestrated, ${f.viewers} viewers, fleet view of ${f.fleetSize} appliances${f.only.length ? `; only ${f.only.join(", ")}` : ""}`);
  lines.push(`- started: ${run.startedAt.toISOString()}, duration: ${Math.round(run.seconds)} s`);
  lines.push(`- machine: ${machine()}`, "");
  const all = run.outcomes.flatMap((o) => o.rows);
  const met = all.filter((r) => r.met).length;
  lines.push(`${met} of ${all.length} goals met${run.outcomes.some((o) => o.error) ? `; ${run.outcomes.filter((o) => o.error).length} benchmark(s) failed to run (see below)` : ""}.`, "");
  lines.push("| # | figure | ours | baseline | ratio | goal | met |", "|---|---|---|---|---|---|---|");
  for (const r of all) {
    const ratio = ratioOf(r);
    lines.push(`| ${r.id} | ${cell(r.figure)} | ${formatNumber(r.ours)} ${r.unit} | ${r.baseline === null ? "—" : `${formatNumber(r.baseline)} ${r.unit}`} | ${ratio === null ? "—" : `${ratio.toFixed(2)}×`} | ${cell(r.goal)} | ${r.met ? "yes" : "**no**"} |`);
  }
  lines.push("");
  for (const o of run.outcomes) {
    lines.push(`## ${o.id}. ${o.title}`, "");
    lines.push(`Took ${Math.round(o.seconds)} s.`, "");
    if (o.error) lines.push(`**The benchmark failed:** ${o.error}`, "");
    for (const r of o.rows.filter((x) => x.note)) lines.push(`- ${r.id}: ${r.note}`);
    if (o.rows.some((x) => x.note)) lines.push("");
    for (const n of o.notes) lines.push(n, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

export function renderJson(run: BenchRun): string {
  return `${JSON.stringify({
    command: run.command, flags: run.flags, machine: machine(), startedAt: run.startedAt.toISOString(), seconds: Math.round(run.seconds),
    benchmarks: run.outcomes.map((o) => ({ ...o, rows: o.rows.map((r) => ({ ...r, ratio: ratioOf(r) })) })),
  }, null, 2)}\n`;
}

export function writeReport(run: BenchRun, docsDir: string): { markdown: string; json: string } {
  fs.mkdirSync(docsDir, { recursive: true });
  const markdown = path.join(docsDir, "PERFORMANCE.md");
  const json = path.join(docsDir, "performance.json");
  fs.writeFileSync(markdown, renderMarkdown(run));
  fs.writeFileSync(json, renderJson(run));
  return { markdown, json };
}
