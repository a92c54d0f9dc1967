// The web app's production build, made when none exists or a source file is newer than it.
// Used by `npm start` and `npm run bench`, which both run `next start`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes("node_modules") || entry.parentPath.includes("generated")) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function ensureBuild(root: string, say: (line: string) => void, opts: { force?: boolean } = {}): void {
  const buildId = path.join(root, ".next/BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(...["app", "components", "lib"].map((d) => newestMtime(path.join(root, d))));
  if (built > sources && !opts.force) return;
  say("building the web app (next build)...");
  execFileSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}
