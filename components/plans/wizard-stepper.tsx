"use client";

export const WIZARD_STEPS = [
  { id: "target", label: "Target" },
  { id: "version", label: "Version and method" },
  { id: "prechecks", label: "Prechecks" },
  { id: "backup", label: "Backup" },
  { id: "window", label: "Window" },
  { id: "review", label: "Review", title: "Review and launch" },
] as const;
export type WizardStepId = (typeof WIZARD_STEPS)[number]["id"];

/**
 * Where the person is and where they may go: done steps and the current one are buttons; a step
 * whose earlier steps are not done yet is plain text, with the reason as its title.
 */
export function WizardStepper({ current, done, reachable, onGo }: { current: WizardStepId; done: Set<WizardStepId>; reachable: Set<WizardStepId>; onGo(step: WizardStepId): void }) {
  return (
    <nav aria-label="Plan wizard steps">
      <ol className="flex flex-wrap gap-1 text-xs">
        {WIZARD_STEPS.map((s, i) => {
          const here = s.id === current;
          // A step counts as done only once it can be opened: a window "not needed" waits for the backup.
          const isDone = done.has(s.id) && reachable.has(s.id);
          const look = here ? "border-sky-600 bg-sky-50 font-semibold text-sky-900" : isDone ? "border-emerald-300 text-emerald-800" : "border-slate-200 text-slate-500";
          const text = <><span aria-hidden="true">{isDone && !here ? "✓" : i + 1}</span> {s.label}</>;
          return (
            <li key={s.id}>
              {reachable.has(s.id)
                ? <button type="button" className={`rounded border px-2 py-1 ${look}`} aria-current={here ? "step" : undefined} onClick={() => onGo(s.id)}>{text}{isDone && <span className="sr-only"> (done)</span>}</button>
                : <span className={`inline-block rounded border border-dashed px-2 py-1 ${look}`} title="Finish the earlier steps first">{text}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
