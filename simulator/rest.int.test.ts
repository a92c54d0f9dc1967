// The HTTPS REST API over real sockets: tokens, identity and health, cluster state, backups and
// their keys, the audit-records property, and what survives a reboot and a downgrade.
import crypto from "node:crypto";
import fs from "node:fs";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSignedArchive } from "./archives";
import { unsealBackupKey } from "./core/backups";
import { login, rest, run, tempDir } from "./testing/clients";
import { apiOf, eventually } from "./testing/cluster-harness";
import { startTestAppliance, upload, type TestAppliance } from "./testing/harness";

let t: TestAppliance;
let jwt: string;
const get = (p: string) => rest(t.appliance.restUrl, "GET", p, { token: jwt });
const post = (p: string, body: unknown = {}) => rest(t.appliance.restUrl, "POST", p, { token: jwt, body });

async function completedBackup(description: string, backupKey?: string): Promise<{ id: string; version: string }> {
  const created = await post("/api/v1/backups", { scope: "system", description, ...(backupKey ? { backupKey } : {}) });
  expect(created.status).toBe(201);
  const id = (created.json as { id: string }).id;
  for (let i = 0; i < 100; i++) {
    const b = (await get(`/api/v1/backups/${id}`)).json as { status: string; version: string };
    if (b.status === "completed") return { id, version: b.version };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("backup did not complete");
}

beforeAll(async () => {
  t = await startTestAppliance({ version: "2.10.0+12345", timeScale: 0.005, restUsers: [{ username: "admin", password: "s3cret!" }] });
  jwt = await login(t.appliance.restUrl, "admin", "s3cret!");
});
afterAll(() => t.stop());

describe("authentication", () => {
  it("refuses a wrong password in the appliance's error shape", async () => {
    const r = await rest(t.appliance.restUrl, "POST", "/api/v1/auth/tokens/", { body: { grant_type: "password", username: "admin", password: "admin" } });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 5, codeDesc: "NCERRUnauthorizedAccess", message: expect.any(String) });
  });

  it("wants a bearer token everywhere else, and takes a refresh token", async () => {
    expect((await rest(t.appliance.restUrl, "GET", "/api/v1/system/info")).status).toBe(401);
    expect((await rest(t.appliance.restUrl, "GET", "/api/v1/system/info", { token: "forged.token.here" })).status).toBe(401);
    const first = await rest(t.appliance.restUrl, "POST", "/api/v1/auth/tokens", { body: { grant_type: "password", username: "admin", password: "s3cret!" } });
    expect(first.json).toMatchObject({ jwt: expect.any(String), duration: 300, refresh_token: expect.any(String) });
    const refresh = (first.json as { refresh_token: string }).refresh_token;
    const second = await rest(t.appliance.restUrl, "POST", "/api/v1/auth/tokens/", { body: { grant_type: "refresh_token", refresh_token: refresh } });
    expect(second.status).toBe(200);
  });

  it("presents the certificate whose fingerprint it reports", async () => {
    const der = await new Promise<Buffer>((resolve, reject) => {
      const socket = tls.connect({ host: t.appliance.host, port: t.appliance.restPort, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerCertificate().raw);
        socket.end();
      });
      socket.on("error", reject);
    });
    expect(crypto.createHash("sha256").update(der).digest("hex")).toBe(t.appliance.restCertFingerprint);
  });
});

describe("identity, health and cluster", () => {
  it("reports system info", async () => {
    const r = await get("/api/v1/system/info");
    expect(r.json).toMatchObject({
      name: "cm-test", version: "2.10.0+12345", version_suffix: "", model: "CipherTrust Manager k170v",
      vendor: "Thales Group", crypto_version: expect.any(String), uptime: expect.any(Number), system_time: expect.any(String),
    });
  });

  it("reports services with the contract's names and statuses", async () => {
    const r = await get("/api/v1/system/services/status");
    const names = (r.json as { services: { name: string; status: string }[] }).services.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["api-gateway", "audit-log", "UI", "keysecure"]));
    expect((r.json as { services: { status: string }[] }).services.every((s) => s.status === "started")).toBe(true);
  });

  it("is not clustered and has no nodes", async () => {
    expect((await get("/api/v1/cluster")).json).toEqual({ nodeID: "", status: { code: "none", description: "not clustered" } });
    expect((await get("/api/v1/nodes")).json).toEqual({ skip: 0, limit: 10, total: 0, resources: [] });
  });

  it("answers unknown paths with 404 in the error shape", async () => {
    const r = await get("/api/v1/nothing-here");
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ codeDesc: "NCERRResourceNotFound" });
  });
});

describe("backups and keys", () => {
  it("[U4] creates a backup that completes later and downloads with the version inside", async () => {
    const created = await post("/api/v1/backups", { scope: "system", description: "before 2.11" });
    expect(created.json).toMatchObject({ id: expect.any(String), scope: "system", status: "in_progress", description: "before 2.11", version: "2.10.0+12345" });
    const id = (created.json as { id: string }).id;
    expect((await get(`/api/v1/backups/${id}/download`)).status).toBe(409);
    const done = await completedBackup("second");
    const download = await get(`/api/v1/backups/${done.id}/download`);
    expect(download.status).toBe(200);
    expect(download.body.length).toBeGreaterThan(2000);
    expect(download.body.toString("latin1")).toContain("version: 2.10.0+12345");
    expect((await get("/api/v1/backupStatus")).json).toMatchObject({ status: expect.stringMatching(/completed|in_progress/) });
    const list = (await get("/api/v1/backups")).json as { total: number; resources: { id: string }[] };
    expect(list.total).toBeGreaterThanOrEqual(2);
    expect(list.resources.map((b) => b.id)).toContain(done.id);
    expect(t.appliance.record.filter((e) => e.channel === "rest" && e.what === "POST /api/v1/backups")).toHaveLength(2);
  });

  it("[U4] lists backup keys and downloads one sealed with a password", async () => {
    const keys = (await get("/api/v1/backupkeys")).json as { resources: { id: string; default: boolean }[] };
    const def = keys.resources.find((k) => k.default);
    expect(def).toBeDefined();
    expect((await post(`/api/v1/backupkeys/${def?.id}/download`, {})).status).toBe(400);
    const file = await post(`/api/v1/backupkeys/${def?.id}/download`, { password: "keep-it-safe" });
    expect(file.status).toBe(200);
    expect(unsealBackupKey(file.body, "keep-it-safe")).toHaveLength(32);
    const made = await post("/api/v1/backupkeys", { name: "ops-key" });
    expect(made.status).toBe(201);
    expect(((await get("/api/v1/backupkeys")).json as { total: number }).total).toBe(keys.resources.length + 1);
  });

  it("[F8] reads and turns off local database audit records", async () => {
    expect((await get("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).json).toMatchObject({ value: "false" });
    const patch = (value: unknown) => rest(t.appliance.restUrl, "PATCH", "/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE", { token: jwt, body: { value } });
    expect((await patch("true")).json).toMatchObject({ name: "ENABLE_RECORDS_DB_STORE", value: "true" });
    expect((await patch("yes")).status).toBe(400);
    expect((await get("/api/v1/configs/properties/NO_SUCH_PROPERTY")).status).toBe(404);
  });
});

it("[U10] while services start: 503 at first, then health answers while keysecure still starts", async () => {
  const slow = await startTestAppliance({ timeScale: 0.002, rebootSeconds: 10, serviceStartSeconds: 900 });
  try {
    const url = slow.appliance.restUrl;
    const token = await login(url);
    const rebooting = slow.appliance.reboot();
    await slow.appliance.waitFor((s) => s.phase === "up");
    const early = await rest(url, "GET", "/api/v1/system/info", { token });
    expect(early.status).toBe(503);
    expect(early.json).toMatchObject({ codeDesc: "NCERRServiceUnavailable" });
    await slow.appliance.waitFor((s) => s.services.find((x) => x.name === "api-gateway")?.status === "started");
    const services = await rest(url, "GET", "/api/v1/system/services/status", { token });
    expect(services.json).toMatchObject({ services: expect.arrayContaining([{ name: "keysecure", status: "starting" }]) });
    expect((await rest(url, "GET", "/api/v1/backups", { token })).status).toBe(503);
    expect((await run(slow.appliance, slow.key, "systemctl status keysecure")).stdout).toMatch(/Active: activating/);
    await rebooting;
    await slow.appliance.waitFor((s) => s.services.every((x) => x.status === "started"), 10_000);
    expect((await rest(url, "GET", "/api/v1/backups", { token })).status).toBe(200);
  } finally {
    await slow.stop();
  }
});

describe("across a reboot and a downgrade", () => {
  it("backups survive a reboot", async () => {
    const backup = await completedBackup("survives reboot");
    await t.appliance.reboot();
    await t.appliance.waitFor((s) => s.services.every((x) => x.status === "started"));
    jwt = await login(t.appliance.restUrl, "admin", "s3cret!");
    expect((await get(`/api/v1/backups/${backup.id}`)).json).toMatchObject({ status: "completed" });
  });

  it("[D3] [D7] a downgrade wipes keys and properties but keeps the backup files", async () => {
    // The release notes name one downgrade, 2.11 -> 2.10 [D2], so this appliance runs 2.11.
    const d = await startTestAppliance({ version: "2.11.0+13003", timeScale: 0.002 });
    try {
      const api = apiOf(d.appliance);
      const backup = ((await api.post("/api/v1/backups", { scope: "system", description: "before downgrade" })).json as { id: string }).id;
      await eventually("backup", async () => ((await api.json<{ status: string }>(`/api/v1/backups/${backup}`)).status === "completed" ? true : undefined));
      await api.patch("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE", { value: "true" });
      const keysBefore = (await api.json<{ resources: { id: string }[] }>("/api/v1/backupkeys")).resources.map((k) => k.id);

      const work = tempDir();
      const archive = await makeSignedArchive({ dir: work, version: "2.10.0+12345", kind: "downgrade" });
      const remote = await upload(d, archive.path);
      fs.rmSync(work, { recursive: true, force: true });
      const r = await run(d.appliance, d.key, `sudo /opt/keysecure/ks_downgrade.sh -f ${remote}`);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Downgrade to 2\.10\.0\+12345 succeeded/);
      await d.appliance.reboot();
      await d.appliance.waitFor((s) => s.services.every((x) => x.status === "started"));

      expect(await api.json("/api/v1/system/info")).toMatchObject({ version: "2.10.0+12345" });
      const stillThere = await api.get(`/api/v1/backups/${backup}/download`);
      expect(stillThere.status).toBe(200);
      expect(stillThere.body.toString("latin1")).toContain("version: 2.11.0+13003");
      const keysAfter = (await api.json<{ resources: { id: string }[] }>("/api/v1/backupkeys")).resources.map((k) => k.id);
      expect(keysAfter).toHaveLength(1);
      expect(keysBefore).not.toContain(keysAfter[0]);
      expect(await api.json("/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE")).toMatchObject({ value: "false" });
    } finally {
      await d.stop();
    }
  });
});
