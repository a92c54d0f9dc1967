// Test-only shorthands (imported by *.test.ts only). A bad literal fails loudly, not as null.

import { parseVersion, type Version } from "./version";

export function v(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`bad version literal in a test: ${text}`);
  return parsed;
}
