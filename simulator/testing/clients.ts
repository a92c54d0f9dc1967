// Real clients for tests against a simulated appliance: ssh2 for exec and SFTP, node https for
// REST. The certificate check is off here on purpose: these tests pin nothing, the console does.
import https from "node:https";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ssh2, { type Client, type SFTPWrapper } from "ssh2";
import { generateEd25519 } from "../identity/host-key";

export interface ClientKey {
  privateKey: string;
  publicLine: string;
}

export function makeClientKey(): ClientKey {
  const pair = generateEd25519("console@test");
  return { privateKey: pair.private, publicLine: pair.public };
}

export function tempDir(prefix = "cm-sim-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

interface SshTarget {
  host: string;
  sshPort: number;
}

export function connectSsh(target: SshTarget, key: ClientKey | string, username = "ksadmin"): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once("ready", () => resolve(client));
    client.once("error", reject);
    client.connect({
      host: target.host,
      port: target.sshPort,
      username,
      privateKey: typeof key === "string" ? key : key.privateKey,
      readyTimeout: 10_000,
    });
  });
}

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  code: number | null;
  /** True when the connection ended without an exit status (e.g. reboot). */
  dropped: boolean;
}

export function exec(client: Client, command: string, onStdout?: (text: string) => void): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = "";
      let stderr = "";
      let code: number | null = null;
      stream.on("data", (d: Buffer) => {
        stdout += d.toString();
        onStdout?.(d.toString());
      });
      stream.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      stream.on("exit", (c: number | null) => (code = c));
      stream.on("close", () => resolve({ stdout, stderr, code, dropped: code === null }));
    });
  });
}

/** One command on a fresh connection. */
export async function run(target: SshTarget, key: ClientKey, command: string): Promise<ExecOutcome> {
  const client = await connectSsh(target, key);
  client.on("error", () => undefined);
  try {
    return await exec(client, command);
  } finally {
    client.end();
  }
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

export function fastPut(sftp: SFTPWrapper, local: string, remote: string): Promise<void> {
  return new Promise((resolve, reject) => sftp.fastPut(local, remote, (err) => (err ? reject(err) : resolve())));
}

export interface RestAnswer {
  status: number;
  body: Buffer;
  json: unknown;
}

export function rest(restUrl: string, method: string, p: string, opts: { token?: string; body?: unknown } = {}): Promise<RestAnswer> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {};
    if (payload) headers["content-type"] = "application/json";
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const req = https.request(new URL(p, restUrl), { method, headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        let json: unknown = null;
        try {
          json = JSON.parse(body.toString("utf8"));
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, body, json });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export async function login(restUrl: string, username = "admin", password = "admin"): Promise<string> {
  const r = await rest(restUrl, "POST", "/api/v1/auth/tokens/", { body: { grant_type: "password", username, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.body.toString()}`);
  return (r.json as { jwt: string }).jwt;
}

/** "open" when something accepts TCP connections on the port, "refused" otherwise. */
export function probePort(host: string, port: number): Promise<"open" | "refused"> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("open");
    });
    socket.once("error", () => resolve("refused"));
  });
}
