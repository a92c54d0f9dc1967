// One look at an appliance, as the prechecks need it: free disk on `/`, keysecure's state, the
// REST API's answer and cluster membership, and whether an archive is already in ksadmin's home.
// Unreachable parts become facts ("REST unreachable: ..."), never exceptions, except a changed
// host key or certificate, which must stop everything.
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { withPooledSsh } from "@/lib/appliance/ssh-pool";
import { readDiskFree, readServiceStatus } from "@/lib/appliance/commands";
import { sharedRestClient } from "@/lib/appliance/rest-pool";
import type { DfParse } from "@/lib/domain/disk";
import { parseSystemctlStatus, type SystemctlStatus } from "@/lib/domain/systemctl";
import { parseVersion, type Version } from "@/lib/domain/version";
import { loadApplianceAccess } from "@/lib/fleet/appliance-access";
import { markTrustChanged, TRUST_CODES } from "@/lib/fleet/trust";

export interface ApplianceObservation {
  version: Version | null;
  versionText: string | null;
  model: string | null;
  clustered: boolean | null;
  disk: DfParse;
  dfText: string;
  service: SystemctlStatus;
  rest: { reachable: boolean; error?: string };
  ssh: { reachable: boolean; error?: string };
  fileSizes: Record<string, number | null>;
}


export async function observeAppliance(db: Db, applianceId: string, remoteFiles: string[] = []): Promise<ApplianceObservation> {
  const access = await loadApplianceAccess(db, applianceId);
  const obs: ApplianceObservation = {
    version: null, versionText: null, model: null, clustered: null,
    disk: { ok: false, code: "empty", message: "df was not run: SSH unreachable" }, dfText: "",
    service: parseSystemctlStatus("", null), rest: { reachable: false }, ssh: { reachable: false }, fileSizes: {},
  };
  /** A changed host key or certificate marks the appliance and stops the observation; any other failure is its message. */
  const unlessTrustChanged = async (e: unknown): Promise<string> => {
    if (isAppError(e) && TRUST_CODES.has(e.code)) {
      await markTrustChanged(db, applianceId, e);
      throw e;
    }
    return e instanceof Error ? e.message : String(e);
  };
  const rest = sharedRestClient(access.endpoint, access.credentials, access.trust);
  // REST and SSH are asked at once, and the SSH reads on channels side by side: a precheck waits
  // for the slowest answer, not for every one in turn.
  const askRest = async () => {
    try {
      const info = await rest.systemInfo();
      obs.versionText = info.version;
      obs.version = parseVersion(info.version);
      obs.model = info.model ?? null;
      const cluster = await rest.cluster();
      obs.clustered = cluster.status.code !== "none";
      obs.rest = { reachable: true };
    } catch (e) {
      obs.rest = { reachable: false, error: await unlessTrustChanged(e) };
    }
  };
  const askSsh = async () => {
    try {
      await withPooledSsh(access.endpoint, access.credentials, access.trust, {}, async (session) => {
        const readDisk = async () => {
          try {
            const df = await readDiskFree(session);
            obs.dfText = df.text;
            obs.disk = df.df;
          } catch (e) {
            if (!isAppError(e) || e.code !== "appliance-refused") throw e;
            obs.disk = { ok: false, code: "empty", message: `df failed on the appliance: ${e.message}` };
          }
        };
        const readService = async () => {
          obs.service = (await readServiceStatus(session)).status;
        };
        const statFiles = async () => {
          for (const f of remoteFiles) obs.fileSizes[f] = (await session.stat(f))?.size ?? null;
        };
        await Promise.all([readDisk(), readService(), statFiles()]);
        obs.ssh = { reachable: true };
      });
    } catch (e) {
      obs.ssh = { reachable: false, error: await unlessTrustChanged(e) };
      obs.disk = { ok: false, code: "empty", message: `df could not be run: ${obs.ssh.error}` };
    }
  };
  await Promise.all([askRest(), askSsh()]);
  await db.appliance.updateMany({
    where: { id: applianceId, NOT: { status: "trust-changed" } },
    data: obs.rest.reachable || obs.ssh.reachable
      ? { version: obs.versionText ?? undefined, model: obs.model ?? undefined, status: "ok", statusReason: null, lastContactAt: new Date() }
      : { status: "unreachable", statusReason: obs.rest.error ?? obs.ssh.error ?? "no answer" },
  });
  return obs;
}
