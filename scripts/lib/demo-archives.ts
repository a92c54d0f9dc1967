// Signed archives for the demo, made once with the simulator's test vendor key.
import fs from "node:fs";
import path from "node:path";
import { makeSignedArchive } from "@/simulator/archives";

export const DEMO_VERSIONS = ["2.11.0+13003", "2.10.0+12807"];

export async function makeDemoArchives(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const version of DEMO_VERSIONS) {
    const existing = fs.readdirSync(dir).find((f) => f.includes(version.replace("+", "+")) && f.endsWith(".gpg"));
    if (existing) {
      paths.push(path.join(dir, existing));
      continue;
    }
    const made = await makeSignedArchive({ dir, version, sizeBytes: 8 * 1024 * 1024 });
    paths.push(made.path);
  }
  return paths;
}
