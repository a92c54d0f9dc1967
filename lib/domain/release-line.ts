// A release line is a `major.minor` string such as "2.11": the unit the vendor's release notes
// speak of ("for 2.14.x we tested..."). Kept apart from version.ts, which handles full versions.

import { z } from "zod";
import { minorOf, type Version } from "./version";

export const releaseLineSchema = z
  .string()
  .regex(/^\d{1,4}\.\d{1,4}$/, "a release line looks like 2.11");

export function parseReleaseLine(text: string): { major: number; minor: number } | null {
  const m = /^(\d{1,4})\.(\d{1,4})$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Orders "2.9" before "2.10"; unparseable lines sort last so bad data never looks newest. */
export function compareReleaseLines(a: string, b: string): number {
  const pa = parseReleaseLine(a);
  const pb = parseReleaseLine(b);
  if (!pa || !pb) return (pa ? -1 : 1) - (pb ? -1 : 1);
  return pa.major - pb.major || pa.minor - pb.minor;
}

export function lineOf(v: Version): string {
  return minorOf(v);
}
