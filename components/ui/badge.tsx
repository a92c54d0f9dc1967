const TONES: Record<string, string> = {
  green: "bg-emerald-100 text-emerald-800 ring-emerald-600/30",
  red: "bg-red-100 text-red-800 ring-red-600/30",
  amber: "bg-amber-100 text-amber-900 ring-amber-600/30",
  blue: "bg-sky-100 text-sky-800 ring-sky-600/30",
  gray: "bg-slate-100 text-slate-700 ring-slate-500/30",
};

const STATE_TONE: Record<string, keyof typeof TONES> = {
  succeeded: "green", verified: "green", delivered: "green", pass: "green", ok: "green", ready: "green",
  failed: "red", refused: "red", fail: "red", unreachable: "red", aborted: "red", "trust-changed": "red",
  running: "blue", receiving: "blue", verifying: "blue", prechecked: "blue",
  warn: "amber", paused: "amber", waiting: "amber", skipped: "gray", pending: "gray", draft: "gray", cancelled: "gray", unknown: "gray",
  // Campaigns, their waves and targets, and dry-run verdicts.
  halted: "red", unplannable: "red", "would-fail-prechecks": "red", "would-upgrade": "green", done: "green",
  starting: "blue", distributing: "blue", soaking: "blue", started: "blue", "awaiting-approval": "amber", "needs-window": "amber", "already-on-target": "gray",
};

export function Badge({ children, tone }: { children: React.ReactNode; tone?: keyof typeof TONES }) {
  return <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone ?? "gray"]}`}>{children}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONE[state] ?? "gray"}>{state}</Badge>;
}
