// Bulk enrolment from CSV, one result per row. Fingerprints are part of the row: a row without
// them is probed and answered with what the appliance presents, and is not enrolled until an admin
// puts the fingerprints they verified back in the file (trust is never granted in bulk by default).
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import type { Actor } from "@/lib/audit/append-audit-event";
import { enrolAppliance, EnrolInputSchema, probeForEnrolment } from "@/lib/fleet/enrol-appliance";

export const BULK_COLUMNS = ["name", "host", "sshPort", "restUrl", "sshIdentity", "restUsername", "restPassword", "sshHostKeyFingerprint", "restCertFingerprint"] as const;

export type BulkRowResult =
  | { row: number; name: string; outcome: "enrolled"; applianceId: string; version: string | null }
  | { row: number; name: string; outcome: "needs-fingerprints"; sshHostKeyFingerprint: string; restCertFingerprint: string }
  | { row: number; name: string; outcome: "refused"; reason: string };

const RowSchema = z.object({
  name: z.string(), host: z.string(), sshPort: z.string().default("22"), restUrl: z.string(), sshIdentity: z.string(),
  restUsername: z.string(), restPassword: z.string(), sshHostKeyFingerprint: z.string().default(""), restCertFingerprint: z.string().default(""),
});

/** POST /api/appliances/bulk: the CSV file's text; its rows are checked one by one by bulkEnrol. */
export const BulkEnrolSchema = z.object({ csv: z.string().min(1).max(2_000_000) });

export async function bulkEnrol(db: Db, actor: Actor, csv: string): Promise<BulkRowResult[]> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    return [{ row: 0, name: "", outcome: "refused", reason: `The CSV could not be read: ${(e as Error).message}. Expected a header row: ${BULK_COLUMNS.join(",")}` }];
  }
  const identities = new Map((await db.sshIdentity.findMany({ select: { id: true, name: true } })).map((i) => [i.name, i.id]));
  const results: BulkRowResult[] = [];
  for (const [i, record] of records.entries()) {
    const row = i + 2; // the header is line 1
    const parsed = RowSchema.safeParse(record);
    const name = record.name ?? "";
    if (!parsed.success) {
      results.push({ row, name, outcome: "refused", reason: parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ") });
      continue;
    }
    const r = parsed.data;
    const sshIdentityId = identities.get(r.sshIdentity);
    if (!sshIdentityId) {
      results.push({ row, name, outcome: "refused", reason: `sshIdentity: no SSH identity named "${r.sshIdentity}"; create it first` });
      continue;
    }
    try {
      if (!r.sshHostKeyFingerprint || !r.restCertFingerprint) {
        const seen = await probeForEnrolment({ host: r.host, sshPort: Number(r.sshPort), restUrl: r.restUrl });
        results.push({ row, name, outcome: "needs-fingerprints", sshHostKeyFingerprint: seen.sshHostKeyFingerprint, restCertFingerprint: seen.restCertFingerprint });
        continue;
      }
      const input = EnrolInputSchema.parse({ ...r, sshIdentityId, acceptedSshHostKeyFingerprint: r.sshHostKeyFingerprint, acceptedRestCertFingerprint: r.restCertFingerprint });
      const a = await enrolAppliance(db, actor, input);
      results.push({ row, name, outcome: "enrolled", applianceId: a.id, version: a.version });
    } catch (e) {
      const reason = e instanceof z.ZodError ? e.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ") : isAppError(e) ? e.message : e instanceof Error ? e.message : String(e);
      results.push({ row, name, outcome: "refused", reason });
    }
  }
  return results;
}
