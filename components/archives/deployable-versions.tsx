// The versions an appliance can be moved to: those with at least one deployable archive. The rule
// itself is the server's (lib/archives/deployable.ts); the archives API says it per row.
export interface DeployFacts { version: string | null; status: string; deployable: boolean; undeployableReason: string | null }

export function deployableVersions(archives: readonly DeployFacts[] | undefined): string[] {
  return [...new Set((archives ?? []).filter((a) => a.deployable && a.version).map((a) => a.version!))];
}

/** Verified versions left out because none of their archives can go to an appliance, with why. */
export function catalogOnlyVersions(archives: readonly DeployFacts[] | undefined): { version: string; reason: string }[] {
  const offered = new Set(deployableVersions(archives));
  const seen = new Map<string, string>();
  for (const a of archives ?? []) {
    if (a.status === "verified" && a.version && !offered.has(a.version) && a.undeployableReason && !seen.has(a.version)) seen.set(a.version, a.undeployableReason);
  }
  return [...seen].map(([version, reason]) => ({ version, reason }));
}

/** Says which versions are not offered and why, under a version picker. */
export function CatalogOnlyNote({ archives }: { archives: readonly DeployFacts[] | undefined }) {
  const left = catalogOnlyVersions(archives);
  if (left.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-amber-800" data-testid="catalog-only-versions">
      {left.map((l) => <li key={l.version}>{l.version} is not offered: {l.reason}</li>)}
    </ul>
  );
}
