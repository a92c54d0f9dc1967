// A private OpenSSH sshd on loopback for integration tests: a real server, real SFTP, a real
// POSIX shell. Own config, host key and authorized_keys; nothing of the machine's sshd is touched.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { generateSshKeyPair } from "../ssh-keys";

export interface TestSshd {
  port: number;
  user: string;
  hostKeyFingerprint: string;
  /** The host key as an OpenSSH public key line, for a known_hosts file an OpenSSH client pins. */
  hostPublicKey: string;
  /** Everything sshd logged (-e), for assertions about what it saw. */
  log(): string;
  stop(): Promise<void>;
}

export function newClientKey(): { privateKey: string; publicKey: string } {
  return generateSshKeyPair("console@test");
}

/** Fingerprint of an OpenSSH public key line, as `ssh-keygen -lf` prints it. */
export function fingerprintOfPublicKeyLine(line: string): string {
  const blob = Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64");
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, logs: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${logs()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${logs()}`);
}

/** logLevel DEBUG1 shows every userauth request, but sshd then also writes debug lines into sessions' stderr. */
export interface TestSshdOptions {
  logLevel?: "VERBOSE" | "DEBUG1";
  banner?: string;
  /** A directory to use (and remove on stop) instead of a new temporary one. */
  dir?: string;
  /** More sshd_config lines (AllowUsers, SetEnv...). */
  extraConfig?: string[];
  /** 0o644 when sshd reads the keys as another user than the one running the tests. */
  authorizedKeysMode?: number;
}

export async function startTestSshd(authorizedKeys: string[], opts: TestSshdOptions = {}): Promise<TestSshd> {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), "fuc-sshd-")));
  const host = generateSshKeyPair();
  await writeFile(path.join(dir, "host_ed25519"), host.privateKey, { mode: 0o600 });
  await writeFile(path.join(dir, "authorized_keys"), authorizedKeys.join("\n") + "\n", { mode: opts.authorizedKeysMode ?? 0o600 });
  const port = await freePort();
  if (opts.banner) await writeFile(path.join(dir, "banner"), opts.banner);
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${dir}/host_ed25519`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    "StrictModes no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "UsePAM no",
    "Subsystem sftp internal-sftp",
    `LogLevel ${opts.logLevel ?? "VERBOSE"}`,
    ...(opts.banner ? [`Banner ${dir}/banner`] : []),
    ...(opts.extraConfig ?? []),
  ].join("\n");
  await writeFile(path.join(dir, "sshd_config"), config + "\n");
  await mkdir("/run/sshd", { recursive: true });
  let logs = "";
  const child = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (b: Buffer) => (logs += b.toString()));
  await waitForPort(port, child, () => logs);
  return {
    port,
    user: userInfo().username,
    hostKeyFingerprint: fingerprintOfPublicKeyLine(host.publicKey),
    hostPublicKey: host.publicKey.trim(),
    log: () => logs,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
