// Opens an authenticated ssh2 Client, but only to the host key an admin pinned: the key is checked
// during key exchange, before any authentication request, so a stranger never sees our key.
import ssh2, { type Client } from "ssh2";
import { AppError } from "@/lib/errors";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";
import { normalizeSshFingerprint, sshHostKeyFingerprintOf } from "./fingerprints";
import { abortError, sshErrorToAppError } from "./connect-errors";

export interface SshConnectOptions {
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_SSH_READY_TIMEOUT_MS = 20_000;

export function sshWhere(endpoint: ApplianceEndpoint): string {
  return `ssh ${endpoint.host}:${endpoint.sshPort}`;
}

export function hostKeyChangedError(endpoint: ApplianceEndpoint, expected: string, presented: string): AppError {
  return new AppError(
    "host-key-changed",
    `${sshWhere(endpoint)}: the appliance presented host key ${presented}, but ${expected} is pinned. ` +
      "Nothing was sent; an admin must accept the new key before any work continues on this appliance.",
    { expected, presented },
  );
}

export function connectSsh(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  opts: SshConnectOptions = {},
): Promise<Client> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const expected = normalizeSshFingerprint(trust.sshHostKeyFingerprint);
  const where = sshWhere(endpoint);
  const client = new ssh2.Client();
  let presentedWrongKey: string | null = null;

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      client.removeListener("ready", onReady);
      client.removeListener("close", onClose);
      if (err) {
        client.destroy();
        reject(err);
      } else resolve(client);
    };
    const onAbort = () => settle(abortError(signal!));
    const onReady = () => settle(null);
    const onClose = () => settle(new AppError("appliance-unreachable", `${where}: connection closed before login`));
    // ssh2 emits 'error' for the life of the client; an unheard 'error' would crash the process.
    client.on("error", (err) => {
      if (presentedWrongKey) settle(hostKeyChangedError(endpoint, expected, presentedWrongKey));
      else settle(sshErrorToAppError(err, where));
    });
    client.once("ready", onReady);
    client.once("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });

    try {
      client.connect({
        host: endpoint.host,
        port: endpoint.sshPort,
        username: credentials.sshUser,
        privateKey: credentials.privateKey,
        readyTimeout: opts.readyTimeoutMs ?? DEFAULT_SSH_READY_TIMEOUT_MS,
        // Long, quiet commands (an upgrade) must not look dead; a vanished peer must be noticed.
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          const presented = sshHostKeyFingerprintOf(key);
          if (presented === expected) return true;
          presentedWrongKey = presented;
          return false;
        },
      });
    } catch (err) {
      // ssh2 parses the private key synchronously; a bad key is our input, not the appliance's fault.
      settle(new AppError("bad-input", `${where}: cannot use the SSH private key: ${(err as Error).message}`));
    }
  });
}
