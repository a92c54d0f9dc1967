// What an admin sees at enrolment: the SSH host key and the TLS certificate the appliance presents.
// Trust on first use is the admin's decision; this reads both without authenticating or sending
// any credential, and the console pins them only when the admin accepts.
import ssh2, { type Client } from "ssh2";
import { AppError } from "@/lib/errors";
import type { ApplianceEndpoint } from "./types";
import { sshHostKeyFingerprintOf, sshKeyAlgorithmOf } from "./fingerprints";
import { sshErrorToAppError } from "./connect-errors";
import { readPresentedCertificate } from "./read-tls-certificate";
import { sshWhere } from "./ssh-connect";

export interface ApplianceProbe {
  sshHostKeyFingerprint: string;
  sshHostKeyAlgorithm: string;
  /** Text the server sends before its SSH identification line, if any; null otherwise. */
  sshBanner: string | null;
  /** The server's SSH software version, e.g. `OpenSSH_9.2p1`. */
  sshServerSoftware: string | null;
  restCertFingerprint: string;
  restCertSubject: string;
  /** ISO 8601. */
  restCertValidTo: string;
  restCertPem: string;
}

export async function probeAppliance(endpoint: ApplianceEndpoint, opts: { timeoutMs?: number } = {}): Promise<ApplianceProbe> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const url = new URL(endpoint.restUrl);
  if (url.protocol !== "https:") throw new AppError("bad-input", `restUrl must be https: ${endpoint.restUrl}`);
  const [ssh, cert] = await Promise.all([
    readHostKey(endpoint, timeoutMs),
    readPresentedCertificate(url.hostname.replace(/^\[|\]$/g, ""), Number(url.port || 443), timeoutMs),
  ]);
  return {
    ...ssh,
    restCertFingerprint: cert.fingerprint,
    restCertSubject: cert.subject,
    restCertValidTo: cert.validTo,
    restCertPem: cert.pem,
  };
}

type HostKeyProbe = Pick<ApplianceProbe, "sshHostKeyFingerprint" | "sshHostKeyAlgorithm" | "sshBanner" | "sshServerSoftware">;

/** Completes key exchange far enough to see the host key, then refuses it: no authentication follows. */
function readHostKey(endpoint: ApplianceEndpoint, timeoutMs: number): Promise<HostKeyProbe> {
  const where = sshWhere(endpoint);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let greeting: string | null = null;
    let result: HostKeyProbe | null = null;
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      client.destroy();
      if (result) resolve(result);
      else reject(err ?? new AppError("appliance-error", `${where}: no host key presented`));
    };
    client.on("greeting", (text: string) => {
      greeting = (greeting ?? "") + text;
    });
    client.on("error", (err) => settle(result ? null : sshErrorToAppError(err, where)));
    client.on("close", () => settle(new AppError("appliance-unreachable", `${where}: connection closed before key exchange`)));
    client.connect({
      host: endpoint.host,
      port: endpoint.sshPort,
      username: "probe", // never used: the host key is refused before any authentication
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        result = {
          sshHostKeyFingerprint: sshHostKeyFingerprintOf(key),
          sshHostKeyAlgorithm: sshKeyAlgorithmOf(key),
          sshBanner: greeting ? greeting.trim() : null,
          sshServerSoftware: remoteSoftwareOf(client),
        };
        return false;
      },
    });
  });
}

// ssh2 keeps the peer's identification in a private field; reading it is best effort only.
function remoteSoftwareOf(client: Client): string | null {
  const v: unknown = (client as unknown as { _remoteVer?: unknown })._remoteVer;
  return typeof v === "string" && v ? v : null;
}
