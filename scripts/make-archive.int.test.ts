import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignedArchive } from "@/lib/archives/verify-signature";
import { keyPath } from "@/simulator/archives";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "make-archive-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tsx scripts/make-archive.ts", () => {
  it("[U1] writes a verifiable archive and prints its path, size and sha256", async () => {
    const { stdout } = await run(TSX, ["scripts/make-archive.ts", "--version", "2.11.0+12345", "--out", dir, "--size", "1MiB", "--portal-name"]);
    const file = /^path\s+(.+)$/m.exec(stdout)?.[1] ?? "";
    expect(path.basename(file)).toBe("610-000611-034_SW_Upgrade_Package_CipherTrust_Manager_v2.11.0_RevA.tar.gz.gpg");
    expect(stdout).toMatch(/^size\s+\d+ bytes \(0\.00 GiB\)$/m);
    expect(stdout).toMatch(/^sha256\s+[0-9a-f]{64}$/m);
    const trustedKeys = [await readFile(keyPath("test-vendor", "pub"), "utf8")];
    expect(await verifySignedArchive(file, { trustedKeys })).toMatchObject({ ok: true, version: "2.11.0+12345" });
  });

  it("exits 2 with a reason on a bad option", async () => {
    await expect(run(TSX, ["scripts/make-archive.ts", "--version", "2.11.0", "--out", dir, "--format", "zip"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--format must be one of/),
    });
  });
});
