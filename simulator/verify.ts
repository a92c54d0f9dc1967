// ks_upgrade.sh verifies the archive itself; this adapter is the one place that calls the
// console's streaming verifier, so the appliance trusts exactly what its vendor keys say.
import { verifySignedArchive } from "@/lib/archives/verify-signature";
import { parseArchiveName } from "@/lib/domain/archive-name";

export type ArchiveVerdict =
  | { ok: true; signerFingerprint: string; version: string | null; kind: "upgrade" | "downgrade" | null }
  | { ok: false; code: string; reason: string };

export async function verifyArchive(filePath: string, trustedKeys: string[]): Promise<ArchiveVerdict> {
  let result: Awaited<ReturnType<typeof verifySignedArchive>>;
  try {
    result = await verifySignedArchive(filePath, { trustedKeys });
  } catch (e) {
    return { ok: false, code: "unreadable", reason: (e as Error).message };
  }
  if (!result.ok) return { ok: false, code: result.code, reason: result.reason };
  // The signed message names the target; that name wins over the name on disk.
  const inner = result.literalFileName ? parseArchiveName(result.literalFileName) : null;
  const version = result.version ?? (inner?.ok ? inner.version : null);
  return { ok: true, signerFingerprint: result.signerFingerprint, version, kind: inner?.ok ? inner.kind : null };
}
