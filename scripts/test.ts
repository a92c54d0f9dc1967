// `npm test`: every test, from a fresh checkout. Uses the machine's Postgres and Redis when they
// answer, else starts embedded ones; then unit + integration tests (Vitest), a production build,
// and the browser journeys (Playwright in Debian's Chromium). Ends with one summary line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePostgres, ensureRedis } from "./lib/services";

const root = path.resolve(import.meta.dirname, "..");
const say = (m: string) => console.log(`[test] ${m}`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-test-services-"));
const pg = await ensurePostgres(dataDir, say);
const redis = await ensureRedis(say);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  TEST_DATABASE_SERVER_URL: pg.url,
  REDIS_URL: redis.url,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
};
/** Debian packages the tests use: Chromium for the journeys, OpenSSH's sshd and gpg for a real appliance stand-in. */
function ensureDebianPackages(): boolean {
  const wanted = [
    { pkg: "chromium", file: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    { pkg: "openssh-server", file: "/usr/sbin/sshd" },
    // The stand-in's ks_upgrade.sh checks signatures with gpg (lib/appliance/testing/openssh-appliance/).
    { pkg: "gnupg", file: "/usr/bin/gpg" },
  ].filter((w) => !fs.existsSync(w.file));
  if (wanted.length === 0) return true;
  const names = wanted.map((w) => w.pkg);
  if (process.getuid?.() === 0 && fs.existsSync("/usr/bin/apt-get")) {
    say(`installing Debian packages the tests need: ${names.join(", ")}`);
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    return spawnSync("apt-get", ["install", "-y", "-qq", ...names], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
  }
  say(`missing ${names.join(", ")}: install them (sudo apt-get install ${names.join(" ")})`);
  return false;
}

const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;

function run(label: string, cmd: string, args: string[]): boolean {
  say(`${label}: ${path.basename(cmd)} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  return r.status === 0;
}

function countVitest(file: string): void {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

function countPlaywright(file: string): void {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
}

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-test-reports-"));
let ok = ensureDebianPackages();
if (only.length === 0 || only.includes("vitest")) {
  const vitestReport = path.join(reportDir, "vitest.json");
  ok = run("unit and integration", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`]) && ok;
  countVitest(vitestReport);
}
if (only.length === 0 || only.includes("e2e")) {
  const built = run("production build", bin("next"), ["build"]);
  ok = built && ok;
  if (built) {
    const pwReport = path.join(reportDir, "playwright.json");
    env.PLAYWRIGHT_JSON_OUTPUT_NAME = pwReport;
    ok = run("browser journeys", bin("playwright"), ["test", "--reporter=list,json"]) && ok;
    countPlaywright(pwReport);
  }
}
await redis.stop();
await pg.stop();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
