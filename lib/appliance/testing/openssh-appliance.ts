// A real OpenSSH sshd standing in for a CipherTrust Manager: user ksadmin, its own host key, real
// SFTP and coreutils, and shell scripts (openssh-appliance/) in place of the vendor's tools. The
// REST side is the simulator's, its firmware version bridged to the state file the scripts write.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTestSshd } from "./openssh-server";
import { DEFAULT_VENDOR_KEY_FILE, nodeOf, startAppliance, type SimulatedAppliance } from "@/simulator/appliance";

const SCRIPTS_DIR = path.join(import.meta.dirname, "openssh-appliance");
const SCRIPTS = ["ks_upgrade.sh", "reboot", "sudo", "systemctl", "df"];
export const KSADMIN_HOME = "/home/ksadmin";

export interface OpensshAppliance {
  host: string;
  sshPort: number;
  restUrl: string;
  hostKeyFingerprint: string;
  /** Where the shell stand-ins live; first on ksadmin's PATH. */
  binDir: string;
  /** The simulator serving REST for this stand-in; its version is the state file's. */
  rest: SimulatedAppliance;
  /** The running firmware as the state file says (what `reboot` made of the staged one). */
  version(): string;
  /** One line per ks_upgrade.sh run, appended by the script itself. */
  upgradeRuns(): string[];
  /** One line per `sudo reboot`, appended by the reboot stand-in. */
  reboots(): string[];
  /** What sshd logged (-e), for diagnosing a refused login. */
  log(): string;
  stop(): Promise<void>;
}

export interface OpensshApplianceOptions {
  name: string;
  version: string;
  authorizedKeys: string[];
  /** Free bytes of / that the df stand-in reports; null for the machine's real `df`. */
  diskFreeBytes?: number | null;
}

/** The console logs in as ksadmin: create the account once (root only), never log in with a password. */
function ensureKsadmin(): { uid: number; gid: number } {
  const ids = () => {
    const out = execFileSync("id", ["-u", "ksadmin"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const gid = execFileSync("id", ["-g", "ksadmin"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return { uid: Number(out), gid: Number(gid) };
  };
  try {
    return ids();
  } catch {
    if (process.getuid?.() !== 0) throw new Error("the OpenSSH stand-in needs a user ksadmin: run the tests as root (npm test does) or create it with useradd -m ksadmin");
    execFileSync("useradd", ["--create-home", "--shell", "/bin/sh", "ksadmin"]);
    // A locked account ("!") is refused by sshd without PAM; "*" only rules out passwords.
    execFileSync("usermod", ["-p", "*", "ksadmin"]);
    return ids();
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) chownSync(path.join(entry.parentPath, entry.name), uid, gid);
}

function linesOf(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

export async function startOpensshAppliance(opts: OpensshApplianceOptions): Promise<OpensshAppliance> {
  const owner = ensureKsadmin();
  const dir = await mkdtemp(path.join(tmpdir(), "fuc-openssh-appliance-"));
  chmodSync(dir, 0o755);
  const bin = path.join(dir, "bin");
  const state = path.join(dir, "state");
  mkdirSync(bin);
  for (const s of SCRIPTS) {
    copyFileSync(path.join(SCRIPTS_DIR, s), path.join(bin, s));
    chmodSync(path.join(bin, s), 0o755);
  }
  mkdirSync(path.join(state, "gnupg"), { recursive: true, mode: 0o700 });
  execFileSync("gpg", ["--homedir", path.join(state, "gnupg"), "--batch", "--quiet", "--import", DEFAULT_VENDOR_KEY_FILE], { stdio: "ignore" });
  writeFileSync(path.join(state, "version"), `${opts.version}\n`);
  writeFileSync(path.join(state, "ks_upgrade.runs"), "");
  const free = opts.diskFreeBytes === undefined ? 120 * 1024 ** 3 : opts.diskFreeBytes;
  if (free !== null) writeFileSync(path.join(state, "free_bytes"), `${free}\n`);
  chownTree(state, owner.uid, owner.gid);
  // ksadmin's home is the console's upload directory: start it empty of earlier runs' archives.
  mkdirSync(KSADMIN_HOME, { recursive: true });
  for (const f of readdirSync(KSADMIN_HOME)) if (/\.tar\.gz(\.gpg|\.sig)?(\.part)?$/.test(f)) rmSync(path.join(KSADMIN_HOME, f), { force: true });
  chownSync(KSADMIN_HOME, owner.uid, owner.gid);

  const sshd = await startTestSshd(opts.authorizedKeys, {
    dir,
    authorizedKeysMode: 0o644,
    extraConfig: [
      "AllowUsers ksadmin",
      // The stand-ins come first on PATH, so `sudo`, `reboot`, `systemctl` and `df` are theirs.
      `SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin APPLIANCE_STATE=${state}`,
    ],
  });

  const readVersion = () => readFileSync(path.join(state, "version"), "utf8").trim();
  const rest = await startAppliance({ name: opts.name, version: opts.version, stateDir: path.join(dir, "rest"), timeScale: 0.002, authorizedKeys: [] });
  // The seam: REST answers the version the shell scripts wrote; a write goes to the same file.
  Object.defineProperty(nodeOf(rest).state, "version", {
    get: readVersion,
    set: (v: string) => writeFileSync(path.join(state, "version"), `${v}\n`),
    enumerable: true,
    configurable: true,
  });

  return {
    host: "127.0.0.1",
    sshPort: sshd.port,
    restUrl: rest.restUrl,
    hostKeyFingerprint: sshd.hostKeyFingerprint,
    binDir: bin,
    rest,
    version: readVersion,
    upgradeRuns: () => linesOf(path.join(state, "ks_upgrade.runs")),
    reboots: () => linesOf(path.join(state, "reboot.runs")),
    log: sshd.log,
    async stop() {
      await rest.stop();
      await sshd.stop(); // also removes dir
    },
  };
}
