// CipherTrust Manager versions look like `2.20.0+15016`: semver with a build number.
// Ordering ignores the build (semver rules); the build is kept for display and equality checks.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  build: string | null;
}

const VERSION_RE = /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:\+([0-9A-Za-z.-]{1,32}))?$/;

export function parseVersion(text: string): Version | null {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), build: m[4] ?? null };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.build ? `+${v.build}` : ""}`;
}

/** `2.11` of `2.11.0+1234`: the release line the catalog speaks of. */
export function minorOf(v: Version): string {
  return `${v.major}.${v.minor}`;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Same major.minor.patch; builds are compared only when both are known. */
export function sameVersion(a: Version, b: Version): boolean {
  if (compareVersions(a, b) !== 0) return false;
  return a.build === null || b.build === null || a.build === b.build;
}
