"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "@/components/api";
import type { ArchiveRow } from "@/components/archives/archives-table";
import { CatalogOnlyNote, deployableVersions } from "@/components/archives/deployable-versions";
import { ErrorNote, Panel } from "@/components/ui/panel";
import type { PlanView } from "./plan-types";
import { PrecheckNodesProgress } from "./prechecks-panel";
import { blockingPrechecks, entryBackup, WizardBackup, WizardPrechecks } from "./wizard-checks";
import type { PlanOptions } from "./wizard-methods";
import { listPlanIds, useNewPlanId, usePlanFeed } from "./wizard-plan-feed";
import { WizardReview } from "./wizard-review";
import { WIZARD_STEPS, WizardStepper, type WizardStepId } from "./wizard-stepper";
import { useTargetNodes, WizardTarget } from "./wizard-target";
import { effectiveMethod, WizardVersion, type Choice } from "./wizard-version";
import { WizardWindow, windowStatus } from "./wizard-window";

/**
 * The plan wizard, entered from an appliance's page: target, version and method, prechecks with
 * evidence, backup, window, then a review with Launch or Schedule. The draft plan is made after
 * the method (prechecks belong to a plan) and named in the address (?plan=), so a reload resumes.
 */
export function PlanWizard({ applianceId, clusterId, name }: { applianceId?: string; clusterId?: string; name: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const qc = useQueryClient();
  const [planId, setPlanId] = useState<string | null>(useSearchParams().get("plan"));
  const [step, setStep] = useState<WizardStepId>(planId ? "prechecks" : "version");
  const [choice, setChoice] = useState<Choice>({ target: "", method: "", override: "", ack: "" });
  const [known, setKnown] = useState<Set<string> | null>(null);
  const target = useTargetNodes(applianceId, clusterId);
  const archives = useQuery({ queryKey: ["archives"], queryFn: () => api<ArchiveRow[]>("/api/archives") });
  const plan = useQuery({ queryKey: ["plan", planId], enabled: Boolean(planId), queryFn: () => api<PlanView>(`/api/plans/${planId}`) });
  const p = plan.data;
  const version = choice.target || p?.targetVersion || "";
  const scope = clusterId ? `clusterId=${clusterId}` : `applianceId=${applianceId}`;
  const options = useQuery({ queryKey: ["plan-options", scope, version], enabled: Boolean(version), queryFn: () => api<PlanOptions>(`/api/plans/options?${scope}&targetVersion=${encodeURIComponent(version)}`) });
  const creating = useNewPlanId(target.nodes[0]?.id, known);
  const feed = usePlanFeed(planId ?? creating);

  // A plan named in the address: its choices become the wizard's.
  const adopted = useRef(false);
  useEffect(() => {
    if (!p || adopted.current) return;
    adopted.current = true;
    setChoice((c) => (c.target ? c : { ...c, target: p.targetVersion, method: p.method }));
  }, [p]);

  const method = effectiveMethod(options.data, choice.method);
  const replaces = p && choice.target && (choice.target !== p.targetVersion || method !== p.method) ? p.id : null;
  const refresh = () => qc.invalidateQueries({ queryKey: ["plan", planId] });
  const post = (path: string, body: unknown = {}) => api(`/api/plans/${planId}/${path}`, { method: "POST", json: body });

  const create = useMutation({
    mutationFn: async (where: "wizard" | "room") => {
      if (replaces) await api(`/api/plans/${replaces}/abort`, { method: "POST", json: { reason: "Replaced in the plan wizard by a plan with other choices." } });
      setKnown(await listPlanIds(target.nodes[0]?.id));
      const created = await api<{ id: string }>("/api/plans", { method: "POST", json: { applianceId, clusterId, targetVersion: choice.target, method: method || undefined, overrideReason: choice.override || undefined, acknowledgement: choice.ack || undefined } });
      return { id: created.id, where };
    },
    onSettled: () => {
      setKnown(null);
      void qc.invalidateQueries({ queryKey: ["plans"] });
    },
    onSuccess: ({ id, where }) => {
      if (where === "room") return router.push(`/plans/${id}`);
      setPlanId(id);
      router.replace(`${pathname}?plan=${id}`, { scroll: false });
      go("prechecks");
    },
  });
  const prechecks = useMutation({ mutationFn: () => post("prechecks"), onSettled: refresh });
  const fix = useMutation({ mutationFn: (v: { fix: string; applianceId: string }) => post("fixes", v.fix === "remove-obsolete-node" ? v : { fix: v.fix }), onSettled: refresh });
  const backup = useMutation({ mutationFn: () => post("backup"), onSettled: refresh });
  const launch = useMutation({ mutationFn: (schedule: boolean) => post("launch", { schedule }), onSuccess: () => router.push(`/plans/${planId}`), onSettled: refresh });

  const done = new Set<WizardStepId>();
  if (target.nodes.length) done.add("target");
  if (p && !replaces) done.add("version");
  if (p && p.prechecks.length && blockingPrechecks(p).length === 0) done.add("prechecks");
  if (p && entryBackup(p)) done.add("backup");
  if (p && ["not-needed", "open", "approved-later"].includes(windowStatus(p))) done.add("window");
  const reachable = new Set<WizardStepId>(["target", "version", step]);
  if (p && !replaces) reachable.add("prechecks");
  if (done.has("prechecks") && reachable.has("prechecks")) reachable.add("backup");
  if (done.has("backup") && reachable.has("backup")) WIZARD_STEPS.slice(4).forEach((s) => reachable.add(s.id));

  // Focus follows the person's move to the new step's heading; never on first load.
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  function go(next: WizardStepId) {
    moved.current = true;
    setStep(next);
  }
  useEffect(() => {
    if (moved.current) heading.current?.focus();
  }, [step]);

  const started = p && !["draft", "prechecked", "ready"].includes(p.state);
  const meta = WIZARD_STEPS.find((s) => s.id === step)!;
  const title = "title" in meta ? meta.title : meta.label;
  return (
    <Panel title="Plan an upgrade" actions={p ? <Link className="text-xs text-sky-700 underline" href={`/plans/${p.id}`}>Open the plan room</Link> : undefined}>
      <div className="space-y-4" data-testid="plan-wizard" data-step={step}>
        <WizardStepper current={step} done={done} reachable={reachable} onGo={go} />
        <h3 ref={heading} tabIndex={-1} className="text-base font-semibold">{WIZARD_STEPS.findIndex((s) => s.id === step) + 1}. {title}</h3>
        {started && <p className="rounded border border-sky-300 bg-sky-50 p-2 text-sm text-sky-900">This plan is {p.state}: follow it in the <Link className="underline" href={`/plans/${p.id}`}>plan room</Link>.</p>}
        <ErrorNote error={plan.error} />
        {step === "target" && <WizardTarget nodes={target.nodes} label={target.label} onNext={() => go("version")} />}
        {step === "version" && (
          <WizardVersion name={name} versions={deployableVersions(archives.data)} choice={choice} onChange={setChoice} options={options.data} optionsError={options.error} loadingOptions={options.isFetching}
            replaces={replaces} busy={create.isPending} error={create.error} onOpenRoom={() => create.mutate("room")}
            onNext={() => (p && !replaces ? go("prechecks") : create.mutate("wizard"))} versionNote={<CatalogOnlyNote archives={archives.data} />} />
        )}
        {step === "version" && create.isPending && <PrecheckNodesProgress nodes={feed.nodes} running />}
        {step === "prechecks" && (p
          ? <WizardPrechecks plan={p} feed={feed} busy={prechecks.isPending || fix.isPending} error={prechecks.error ?? fix.error} onNext={() => go("backup")} onRerun={() => prechecks.mutate()} onFix={(f, id) => fix.mutate({ fix: f, applianceId: id })} />
          : <p className="text-sm text-slate-600">Reading the plan...</p>)}
        {step === "backup" && p && <WizardBackup plan={p} feed={feed} busy={backup.isPending} error={backup.error} onNext={() => go("window")} onBackup={() => backup.mutate()} />}
        {step === "window" && p && <WizardWindow plan={p} onChange={() => void refresh()} onNext={() => go("review")} />}
        {step === "review" && p && (
          <WizardReview plan={p} method={options.data?.methods.find((m) => m.method === p.method)} busy={launch.isPending} error={launch.error}
            onLaunch={() => launch.mutate(false)} onSchedule={() => launch.mutate(true)} onGo={go} />
        )}
      </div>
    </Panel>
  );
}
