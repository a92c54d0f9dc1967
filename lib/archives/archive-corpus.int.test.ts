// Bad input through the real intake (receive-archive.ts) on the real Postgres: every broken archive
// of the corpus is refused with its code and a reason, its file is gone, and it is never verified
// (so never offered for a plan); every hostile name is refused before a row or a byte exists.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { archivesDir, receiveArchive } from "@/lib/archives/receive-archive";
import { buildArchiveCorpus, HOSTILE_NAMES, type CorpusArchive } from "@/lib/archives/testing/corpus";
import { keyPath, makeSignedArchive } from "@/simulator/archives";
import { addVendorKey } from "@/lib/archives/vendor-keys";
import { AppError } from "@/lib/errors";

let f: ConsoleFixture;
let corpus: CorpusArchive[];

beforeAll(async () => {
  f = await startConsoleFixture("archive-corpus", { worker: false });
  // Keys the vendor once used: trusted here, so that expiry and revocation (not trust) refuse.
  for (const k of ["expired-signer", "revoked-signer"] as const) await addVendorKey(f.env.db, f.actor, fs.readFileSync(keyPath(k, "pub"), "utf8"));
  corpus = await buildArchiveCorpus(fs.mkdtempSync(path.join(f.env.dataDir, "corpus-")), 1);
}, 120_000);
afterAll(async () => {
  await f?.stop();
});

const storedFiles = () => (fs.existsSync(archivesDir()) ? fs.readdirSync(archivesDir()) : []);

describe("[F8] broken archives through the intake", () => {
  it("the corpus holds every kind of broken archive the issue names", () => {
    expect(corpus.map((c) => c.code).sort()).toEqual(
      ["bad-signature", "encrypted", "expired-key", "malformed", "revoked-key", "truncated", "truncated", "unknown-signer", "unsigned", "unsigned"].sort(),
    );
  });

  it("refuses each with its code and a reason, deletes the file and never verifies it", async () => {
    for (const c of corpus) {
      const row = await receiveArchive(f.env.db, f.actor, { fileName: c.fileName, body: fs.createReadStream(c.path), declaredBytes: c.declaredBytes });
      const label = `${c.what}: ${row.refusalCode} ${row.refusalReason}`;
      expect(row.status, label).toBe("refused");
      expect(row.refusalCode, label).toBe(c.code);
      expect(row.refusalReason, label).toMatch(c.reason);
      expect(row.storedPath, label).toBeNull();
      expect(storedFiles().filter((n) => n.startsWith(row.id)), label).toEqual([]);
      // What plans are built from: only verified rows (create-plan, plan-options, path-archives).
      expect(await f.env.db.archive.count({ where: { id: row.id, status: "verified" } }), label).toBe(0);
      const audit = await f.env.db.auditEvent.findFirst({ where: { subjectId: row.id, action: "archive-refused" } });
      expect(audit, label).not.toBeNull();
    }
  });
});

describe("[U8] hostile file names", () => {
  it.each(HOSTILE_NAMES.map((h) => [h.what, h] as const))("refuses a name with %s before storing anything", async (_what, h) => {
    const rowsBefore = await f.env.db.archive.count();
    const filesBefore = storedFiles().length;
    let consumed = 0;
    // highWaterMark 0: the stream is pulled only when the intake reads it.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          consumed++;
          controller.enqueue(new Uint8Array(1024));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const error = await receiveArchive(f.env.db, f.actor, { fileName: h.name, body }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("archive-refused");
    expect((error as AppError).message).toMatch(/^Archive name refused: /);
    expect((error as AppError).message).toMatch(h.reason);
    // Control characters are never echoed raw into a message a page or a log shows.
    // eslint-disable-next-line no-control-regex -- that is what is checked
    expect((error as AppError).message).not.toMatch(/[\u0000\n]/);
    expect(consumed).toBe(0);
    expect(await f.env.db.archive.count()).toBe(rowsBefore);
    expect(storedFiles().length).toBe(filesBefore);
  });

  it("stores an accepted name under a generated path inside the archive folder", async () => {
    const made = await makeSignedArchive({ dir: fs.mkdtempSync(path.join(f.env.dataDir, "ok-")), version: "2.19.1+1", sizeBytes: 8 * 1024 });
    const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body: fs.createReadStream(made.path) });
    expect(row.status).toBe("verified");
    expect(path.dirname(row.storedPath!)).toBe(archivesDir());
    expect(path.basename(row.storedPath!)).toBe(`${row.id}-${made.fileName}`);
  });
});
