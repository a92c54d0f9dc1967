// The driver's SSH side against the appliance simulator: probe, pinning, quoting as the appliance
// sees it, uploads (with the simulator dropping the link), and the contract's read-only commands.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import {
  createRestClient, deleteClusterConfig, openSshSession, probeAppliance, readDiskFree, readServiceStatus, sha256OfRemoteFile,
} from "./index";
import { startSimulatedTarget, type SimulatedTarget } from "./testing/simulated-appliance";

const MB = 1024 * 1024;
let t: SimulatedTarget;
let dir: string;

beforeAll(async () => {
  t = await startSimulatedTarget({ version: "2.10.0+12345" });
  dir = await mkdtemp(path.join(tmpdir(), "fuc-simssh-"));
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function localFile(name: string, size: number) {
  const file = path.join(dir, name);
  const data = randomBytes(size);
  await writeFile(file, data);
  return { file, sha: createHash("sha256").update(data).digest("hex") };
}

it("probe shows the fingerprints the simulator reports, and its version banner", async () => {
  const p = await probeAppliance(t.endpoint);
  expect(p.sshHostKeyFingerprint).toBe(t.appliance.sshHostKeyFingerprint);
  expect(p.restCertFingerprint).toBe(t.appliance.restCertFingerprint);
  expect(p.sshBanner).toContain("Version 2.10.0+12345");
  expect(t.appliance.record.filter((r) => r.channel === "ssh")).toEqual([]);
});

it("refuses a wrongly pinned host key before authenticating, and a wrong certificate", async () => {
  const e = await rejection(openSshSession(t.endpoint, t.credentials, { ...t.trust, sshHostKeyFingerprint: "SHA256:" + "B".repeat(43) }));
  expect(e.code).toBe("host-key-changed");
  expect(e.message).toContain(t.appliance.sshHostKeyFingerprint);
  const rest = createRestClient(t.endpoint, t.credentials, { ...t.trust, restCertFingerprint: "cd".repeat(32) });
  const c = await rejection(rest.systemInfo());
  expect(c.code).toBe("certificate-changed");
  expect(c.message).toContain(t.appliance.restCertFingerprint);
  rest.close();
});

describe("over one session", () => {
  it("quotes: a path with spaces and ';' reaches the appliance as one argument", async () => {
    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    const { file, sha } = await localFile("q.bin", 64 * 1024);
    const remote = "/home/ksadmin/my archive; rm -rf ~.bin";
    await s.upload(file, remote);
    expect(await sha256OfRemoteFile(s, remote)).toBe(sha);
    const r = await s.exec(["echo", "a b;", "$(whoami)", "`id`", "it's"]);
    expect(r).toMatchObject({ exitCode: 0, stdout: "a b; $(whoami) `id` it's\n" });
    const last = t.appliance.record.filter((e) => e.channel === "ssh").at(-1);
    expect(last?.what).toContain("echo 'a b;'");
    expect((await s.stat(remote))?.size).toBe(64 * 1024);
    await s.close();
  });

  it("uploads 20 MB with progress; sha256sum on the appliance agrees", async () => {
    const { file, sha } = await localFile("twenty.bin", 20 * MB);
    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    const seen: number[] = [];
    await s.upload(file, "/home/ksadmin/twenty.bin", { onProgress: (sent) => seen.push(sent) });
    expect(seen.length).toBeGreaterThanOrEqual(15);
    expect(seen.at(-1)).toBe(20 * MB);
    expect(await sha256OfRemoteFile(s, "/home/ksadmin/twenty.bin")).toBe(sha);
    expect(await s.remove("/home/ksadmin/twenty.bin")).toBe(true);
    await s.close();
  });

  it("resumes after the appliance drops the link mid-upload (dropSshAfterBytes)", async () => {
    const { file, sha } = await localFile("resume.bin", 20 * MB);
    const remote = "/home/ksadmin/resume.bin";
    await t.appliance.setFaults({ dropSshAfterBytes: 7 * MB });
    const first = await openSshSession(t.endpoint, t.credentials, t.trust);
    const e = await rejection(first.upload(file, remote));
    expect(e.code).toBe("appliance-unreachable");
    expect(first.closed).toBe(true);

    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    const partial = (await s.stat(remote))?.size ?? 0;
    expect(partial).toBeGreaterThan(5 * MB);
    expect(partial).toBeLessThan(20 * MB);
    const r = await s.upload(file, remote, { resume: true });
    expect(r.resumedFrom).toBeGreaterThan(3 * MB);
    expect(await sha256OfRemoteFile(s, remote)).toBe(sha);
    await s.close();
  });

  it("reads df (parsed by lib/domain) and the keysecure unit", async () => {
    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    const d = await readDiskFree(s);
    expect(d.df.ok && d.df.reading.availableBytes).toBeGreaterThan(50 * 1024 ** 3);
    const svc = await readServiceStatus(s);
    expect(svc).toMatchObject({ exitCode: 0, healthy: true });
    await s.close();
  });

  it("says the appliance's own words when it refuses (ksctl on an unclustered node)", async () => {
    const s = await openSshSession(t.endpoint, t.credentials, t.trust);
    const e = await rejection(deleteClusterConfig(s));
    expect(e.code).toBe("appliance-refused");
    expect(e.message).toContain("not a member of a cluster");
    await s.close();
  });
});
