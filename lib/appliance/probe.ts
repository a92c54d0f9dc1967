// What an admin sees at enrolment: the SSH host key and the TLS certificate the appliance presents.
// Trust on first use is the admin's decision; this reads both without sending any credential,
// and the console pins them only when the admin accepts.
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
  /** The pre-login banner (and any text before the SSH identification line); null if none. */
  sshBanner: string | null;
  /** The server's SSH software version, e.g. `OpenSSH_9.2p1`. */
  sshServerSoftware: string | null;
  restCertFingerprint: string;
  restCertSubject: string;
  /** ISO 8601. */
  restCertValidTo: string;
  restCertPem: string;
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** The user named in the banner request; default `ksadmin`. */
  sshUser?: string;
}

export async function probeAppliance(endpoint: ApplianceEndpoint, opts: ProbeOptions = {}): Promise<ApplianceProbe> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const url = new URL(endpoint.restUrl);
  if (url.protocol !== "https:") throw new AppError("bad-input", `restUrl must be https: ${endpoint.restUrl}`);
  const [ssh, cert] = await Promise.all([
    readHostKey(endpoint, timeoutMs, opts.sshUser ?? "ksadmin"),
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

/**
 * Records the host key during key exchange. To read the pre-login banner (CipherTrust Manager shows
 * its version there) the client then sends one `none` authentication request for `sshUser`: it
 * carries no key and no password, and if a server ever accepted it we disconnect before opening
 * anything. No credential of any kind leaves the console before the admin accepts the key.
 */
function readHostKey(endpoint: ApplianceEndpoint, timeoutMs: number, sshUser: string): Promise<HostKeyProbe> {
  const where = sshWhere(endpoint);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let greeting: string | null = null;
    let banner: string | null = null;
    let key: Omit<HostKeyProbe, "sshBanner"> | null = null;
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      const text = [greeting, banner].filter(Boolean).join("\n").trim();
      if (key) resolve({ ...key, sshBanner: text || null });
      else reject(err ?? new AppError("appliance-error", `${where}: no host key presented`));
    };
    // Past the host key, the banner is a courtesy: never let it hold up the probe.
    const timer = setTimeout(() => settle(new AppError("appliance-unreachable", `${where}: no SSH handshake within ${timeoutMs} ms`)), timeoutMs);
    client.on("greeting", (text: string) => (greeting = (greeting ?? "") + text));
    client.on("banner", (text: string) => (banner = (banner ?? "") + text));
    client.on("ready", () => settle(null));
    client.on("error", (err) => settle(key ? null : sshErrorToAppError(err, where)));
    client.on("close", () => settle(new AppError("appliance-unreachable", `${where}: connection closed before key exchange`)));
    let asked = false;
    client.connect({
      host: endpoint.host,
      port: endpoint.sshPort,
      username: sshUser,
      readyTimeout: timeoutMs,
      hostVerifier: (blob: Buffer) => {
        key = {
          sshHostKeyFingerprint: sshHostKeyFingerprintOf(blob),
          sshHostKeyAlgorithm: sshKeyAlgorithmOf(blob),
          sshServerSoftware: remoteSoftwareOf(client),
        };
        return true;
      },
      // Exactly one `none` request, then give up: the answer (and the banner before it) is all we want.
      authHandler: (_methodsLeft, _partial, next) => {
        if (asked) return next(false as never);
        asked = true;
        next({ type: "none", username: sshUser });
      },
    });
  });
}
// ssh2 keeps the peer's identification in a private field; reading it is best effort only.
function remoteSoftwareOf(client: Client): string | null {
  const v: unknown = (client as unknown as { _remoteVer?: unknown })._remoteVer;
  return typeof v === "string" && v ? v : null;
}
