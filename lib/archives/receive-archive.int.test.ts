// The intake checks an upload as it arrives (receive-archive.ts): a .tar.gz with its detached
// signature, a refusal that comes before the last byte, an upload that breaks off, and signatures
// sent where none belongs. Real Postgres and Redis; the bodies are real streams.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConsoleFixture, type ConsoleFixture } from "@/lib/testing/console-fixture";
import { archivesDir, receiveArchive } from "@/lib/archives/receive-archive";
import { readArchiveProgress } from "@/lib/archives/archive-progress";
import { flipByte, makeSignedArchive, makeUnsignedArchive } from "@/simulator/archives";
import { AppError } from "@/lib/errors";
import { MAX_DETACHED_SIGNATURE_BYTES } from "@/lib/archives/detached-signature-header";
import { addVendorKey, removeVendorKey } from "@/lib/archives/vendor-keys";

const MiB = 1024 * 1024;
let f: ConsoleFixture;
const freshDir = () => fs.mkdtempSync(path.join(f.env.dataDir, "made-"));
const storedFiles = (id: string) => (fs.existsSync(archivesDir()) ? fs.readdirSync(archivesDir()).filter((n) => n.startsWith(id)) : []);

beforeAll(async () => {
  f = await startConsoleFixture("receive-archive", { worker: false });
});
afterAll(async () => {
  await f?.stop();
});

/** The file as a web stream of `chunk`-byte pieces that counts what was pulled, and can break off. */
function bodyOf(file: string, opts: { chunk?: number; failAfter?: number } = {}) {
  const bytes = fs.readFileSync(file);
  const size = opts.chunk ?? 64 * 1024;
  let offset = 0;
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (opts.failAfter !== undefined && offset >= opts.failAfter) {
          controller.error(new Error("socket hang up"));
          return;
        }
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        // A fresh copy each time, as a network stream gives.
        const piece = Uint8Array.from(bytes.subarray(offset, offset + size));
        offset += piece.length;
        state.pulled = offset;
        controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state, size: bytes.length };
}

describe("a .tar.gz with its detached signature", () => {
  it("is verified as it arrives; the signature is kept beside the archive", async () => {
    const made = await makeSignedArchive({ dir: freshDir(), version: "2.13.0+15000", sizeBytes: 3 * MiB, format: "detached" });
    const signature = fs.readFileSync(made.signaturePath!);
    const { body } = bodyOf(made.path);
    const ticket = crypto.randomUUID();
    const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body, declaredBytes: made.sizeBytes, ticket, signature });
    expect(row.status, `${row.refusalCode} ${row.refusalReason}`).toBe("verified");
    expect(row.format).toBe("detached");
    expect(row.sha256).toBe(made.sha256);
    expect(Number(row.sizeBytes)).toBe(made.sizeBytes);
    expect(row.signerUserId).toBe("Test Vendor <test-vendor@example.invalid>");
    expect(fs.readFileSync(row.storedPath!).equals(fs.readFileSync(made.path))).toBe(true);
    expect(row.signaturePath).toBe(`${row.storedPath}.sig`);
    expect(fs.readFileSync(row.signaturePath!).equals(signature)).toBe(true);
    expect(await readArchiveProgress(ticket)).toMatchObject({ phase: "verified", done: made.sizeBytes });
  });

  it("[F8] refuses the data when one byte differs from what was signed, and keeps nothing", async () => {
    const made = await makeSignedArchive({ dir: freshDir(), version: "2.13.1+15100", sizeBytes: MiB, format: "detached" });
    await flipByte(made.path, Math.floor(made.sizeBytes / 2));
    const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body: bodyOf(made.path).body, signature: fs.readFileSync(made.signaturePath!) });
    expect(row.status).toBe("refused");
    expect(row.refusalCode).toBe("bad-signature");
    expect(row.storedPath).toBeNull();
    expect(row.signaturePath).toBeNull();
    expect(storedFiles(row.id)).toEqual([]);
  });

  it("[F8] refuses a signature of another file", async () => {
    const dir = freshDir();
    const made = await makeSignedArchive({ dir, version: "2.13.2+15200", sizeBytes: MiB, format: "detached" });
    const other = await makeSignedArchive({ dir, version: "2.13.3+15300", sizeBytes: MiB, format: "detached" });
    const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body: bodyOf(made.path).body, signature: fs.readFileSync(other.signaturePath!) });
    expect(row.refusalCode).toBe("bad-signature");
  });

  it.each([
    ["a .tar.gz.gpg, which carries its own", (v: string) => `ks_upgrade_${v}.tar.gz.gpg`, /carries its own signature/],
    ["a .sig sent as the archive", (v: string) => `ks_upgrade_${v}.tar.gz.sig`, /itself a detached signature/],
  ])("is refused beside %s, before a row or a byte is stored", async (_what, name, reason) => {
    const rowsBefore = await f.env.db.archive.count();
    const made = await makeUnsignedArchive(freshDir(), "2.13.4+15400", 4096);
    const { body, state } = bodyOf(made.path);
    const error = await receiveArchive(f.env.db, f.actor, { fileName: name("2.13.4+15400"), body, signature: Buffer.from("sig") }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad-input");
    expect((error as AppError).message).toMatch(reason);
    expect(state.pulled).toBe(0);
    expect(await f.env.db.archive.count()).toBe(rowsBefore);
  });

  it("refuses an empty or oversized signature before reading the data", async () => {
    const made = await makeUnsignedArchive(freshDir(), "2.13.5+15500", 4096);
    for (const signature of [Buffer.alloc(0), Buffer.alloc(MAX_DETACHED_SIGNATURE_BYTES + 1)]) {
      const { body, state } = bodyOf(made.path);
      const error = await receiveArchive(f.env.db, f.actor, { fileName: path.basename(made.path), body, signature }).then(() => null, (e: unknown) => e);
      expect((error as AppError).code).toBe("bad-input");
      expect((error as AppError).message).toMatch(`between 1 and ${MAX_DETACHED_SIGNATURE_BYTES} bytes`);
      expect(state.pulled).toBe(0);
    }
  });
});

describe("checking while receiving", () => {
  it("[F8] refuses an unsigned file from its first bytes, yet reads the upload to its end and keeps nothing", async () => {
    const made = await makeUnsignedArchive(freshDir(), "2.14.0+16000", 2 * MiB);
    const name = `ks_upgrade_2.14.0+16000.tar.gz.gpg`;
    const { body, state, size } = bodyOf(made.path);
    const row = await receiveArchive(f.env.db, f.actor, { fileName: name, body, declaredBytes: size });
    expect(row.refusalCode).toBe("unsigned");
    // Read to the end: the uploader gets its answer, and the size and hash are of the whole file.
    expect(state.pulled).toBe(size);
    expect(Number(row.sizeBytes)).toBe(size);
    expect(row.sha256).toBe(made.sha256);
    expect(storedFiles(row.id)).toEqual([]);
  });

  it("says the upload broke off, not what the verifier made of the part it saw", async () => {
    for (const format of ["compressed", "uncompressed", "detached"] as const) {
      const made = await makeSignedArchive({ dir: freshDir(), version: `2.14.1+${format.length}`, sizeBytes: 2 * MiB, format });
      const { body } = bodyOf(made.path, { failAfter: MiB });
      const signature = made.signaturePath ? fs.readFileSync(made.signaturePath) : undefined;
      const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body, declaredBytes: made.sizeBytes, signature });
      expect(row.status, format).toBe("refused");
      expect(row.refusalCode, format).toBe("incomplete-upload");
      expect(row.refusalReason, format).toMatch(/^upload interrupted after 1048576 bytes: socket hang up$/);
      expect(storedFiles(row.id), format).toEqual([]);
    }
  });

  it("stores exactly the bytes received, whatever the chunk sizes", async () => {
    const made = await makeSignedArchive({ dir: freshDir(), version: "2.14.2+16200", sizeBytes: 3 * MiB + 12345, format: "compressed", compressionLevel: 6 });
    for (const chunk of [1, 4093, 3 * MiB + 99_999]) {
      if (chunk === 1) {
        // Byte by byte is slow: a small archive is enough to walk every boundary.
        const small = await makeSignedArchive({ dir: freshDir(), version: "2.14.3+16300", sizeBytes: 6000, format: "compressed" });
        const row = await receiveArchive(f.env.db, f.actor, { fileName: small.fileName, body: bodyOf(small.path, { chunk }).body });
        expect(row.status, `${row.refusalReason}`).toBe("verified");
        expect(row.sha256).toBe(small.sha256);
        continue;
      }
      const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body: bodyOf(made.path, { chunk }).body, declaredBytes: made.sizeBytes });
      expect(row.status, `${chunk}: ${row.refusalReason}`).toBe("verified");
      expect(row.format).toBe("compressed");
      expect(row.sha256).toBe(made.sha256);
      expect(crypto.createHash("sha256").update(fs.readFileSync(row.storedPath!)).digest("hex")).toBe(made.sha256);
    }
  });
});

describe("with no vendor key trusted", () => {
  it("reads the whole upload, then refuses it and keeps nothing", async () => {
    const keys = await f.env.db.vendorKey.findMany({ where: { removedAt: null } });
    for (const k of keys) await removeVendorKey(f.env.db, f.actor, k.id);
    try {
      const made = await makeSignedArchive({ dir: freshDir(), version: "2.15.0+17000", sizeBytes: MiB });
      const { body, state, size } = bodyOf(made.path);
      const row = await receiveArchive(f.env.db, f.actor, { fileName: made.fileName, body, declaredBytes: size });
      expect(row.refusalCode).toBe("no-trusted-keys");
      expect(state.pulled).toBe(size);
      expect(row.sha256).toBe(made.sha256);
      expect(storedFiles(row.id)).toEqual([]);
    } finally {
      for (const k of keys) await addVendorKey(f.env.db, f.actor, k.armored);
    }
  });
});
