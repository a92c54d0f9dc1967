// The starting versions each release was tested from (appliance-contract.md). ks_upgrade.sh
// refuses any other start unless -o overrides it (a pass-through step). "2.10" matches any
// 2.10.x; "2.11.1" matches that patch only. A target without an entry accepts any start.
import { minorOf, type Version } from "@/lib/domain/version";

export type UpgradePaths = Readonly<Record<string, readonly string[]>>;

export const TESTED_UPGRADE_PATHS: UpgradePaths = {
  "2.11": ["2.10", "2.9", "2.8"],
  "2.12": ["2.11.0", "2.10", "2.9"],
  "2.14": ["2.13", "2.12", "2.11.1", "2.11.2"],
  "2.16": ["2.13", "2.14", "2.15"],
  "2.17": ["2.14", "2.15", "2.16"],
  "2.18": ["2.17.0", "2.16.1", "2.15.0"],
};

/** The tested starts of the target, or null when the start is one of them (or none are listed). */
export function untestedPath(paths: UpgradePaths, current: Version, target: Version): readonly string[] | null {
  const tested = paths[minorOf(target)];
  if (!tested) return null;
  const patch = `${current.major}.${current.minor}.${current.patch}`;
  const ok = tested.some((p) => (p.split(".").length === 2 ? p === minorOf(current) : p === patch));
  return ok ? null : tested;
}

/** Where each release may go back to: the release notes name 2.11 -> 2.10 only [D2]. "2.10" is any 2.10.x. */
export type DowngradeTargets = Readonly<Record<string, readonly string[]>>;

export const DOWNGRADE_TARGETS: DowngradeTargets = { "2.11": ["2.10"] };
