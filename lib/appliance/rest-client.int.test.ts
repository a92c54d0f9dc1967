// The HTTPS half of the driver against loopback HTTPS servers: certificate pinning (verification
// on, exactly the pinned certificate trusted), the token life cycle, error words, downloads, probe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { createRestClient, probeAppliance, type ApplianceCredentials, type ApplianceEndpoint, type ApplianceTrust } from "./index";
import { newSelfSignedCert, startTestHttps, type TestHttps } from "./testing/tls-server";
import { freePort, newClientKey, startTestSshd, type TestSshd } from "./testing/openssh-server";

const BACKUP = randomBytes(3 * 1024 * 1024 + 17);
let api: TestHttps;
let dir: string;
const seen: { method: string; url: string; auth?: string }[] = [];
let issued = 0;
const revoked = new Set<string>();

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

// A loopback stand-in for the few routes whose transport behaviour is under test here; the
// simulator's own REST API is exercised in simulator.int.test.ts.
async function handler(req: IncomingMessage, res: ServerResponse) {
  let body = "";
  for await (const c of req) body += String(c);
  seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization });
  if (req.url === "/api/v1/auth/tokens/") {
    const b = JSON.parse(body) as { grant_type: string; username: string; password: string };
    if (b.grant_type !== "password" || b.username !== "admin" || b.password !== "s3cret") {
      return send(res, 401, { code: 5, codeDesc: "NCERRUnauthorizedAccess", message: "Invalid user credentials" });
    }
    return send(res, 200, { jwt: `jwt-${++issued}`, duration: 300, refresh_token: "r" });
  }
  const jwt = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
  if (!jwt.startsWith("jwt-") || revoked.has(jwt)) return send(res, 401, { code: 5, codeDesc: "NCERRUnauthorizedAccess", message: "Token is expired" });
  if (req.url === "/api/v1/system/info") return send(res, 200, { name: "cm-1", version: "2.19.0+14195", model: "CipherTrust Manager k170v", vendor: "Thales" });
  if (req.url === "/api/v1/cluster") return send(res, 500, { code: 9, codeDesc: "NCERRInternal", message: "database is locked" });
  if (req.url === "/api/v1/system/services/status") return send(res, 503, { code: 7, codeDesc: "NCERRUnavailable", message: "starting" });
  if (req.url === "/api/v1/configs/properties/ENABLE_RECORDS_DB_STORE") return send(res, 404, { code: 4, codeDesc: "NCERRResourceNotFound", message: "Resource not found" });
  if (req.url === "/api/v1/backups/b1/download") return res.writeHead(200, { "content-length": String(BACKUP.length) }).end(BACKUP);
  if (req.url === "/api/v1/backups/cut/download") {
    res.writeHead(200, { "content-length": String(BACKUP.length) }).write(BACKUP.subarray(0, 1000));
    return setTimeout(() => res.destroy(), 50);
  }
  send(res, 404, { code: 4, codeDesc: "NCERRResourceNotFound", message: "Resource not found" });
}

const endpoint = (): ApplianceEndpoint => ({ host: "127.0.0.1", sshPort: 22, restUrl: api.url });
const creds: ApplianceCredentials = { sshUser: "ksadmin", privateKey: "", restUsername: "admin", restPassword: "s3cret" };
const trust = (): ApplianceTrust => ({ sshHostKeyFingerprint: "", restCertFingerprint: api.fingerprint, restCertPem: api.certPem });

beforeAll(async () => {
  api = await startTestHttps((req, res) => void handler(req, res));
  dir = await mkdtemp(path.join(tmpdir(), "fuc-rest-test-"));
});
afterAll(async () => {
  await api?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("certificate pinning", () => {
  it("trusts the pinned self-signed certificate, reached by IP, with verification on", async () => {
    const rest = createRestClient(endpoint(), creds, trust());
    expect((await rest.systemInfo()).version).toBe("2.19.0+14195");
    rest.close();
  });

  it("refuses a different certificate before sending anything, naming both fingerprints", async () => {
    const other = await newSelfSignedCert("impostor");
    const impostor = await startTestHttps((req, res) => void handler(req, res), other);
    const before = seen.length;
    const rest = createRestClient({ ...endpoint(), restUrl: impostor.url }, creds, trust());
    const e = await rejection(rest.systemInfo());
    expect(e.code).toBe("certificate-changed");
    expect(e.message).toContain(api.fingerprint);
    expect(e.message).toContain(other.fingerprint);
    expect(seen.length).toBe(before); // not even the login reached the impostor
    rest.close();
    await impostor.stop();
  });

  it("refuses the right certificate when the pinned fingerprint says otherwise", async () => {
    const before = seen.length;
    const rest = createRestClient(endpoint(), creds, { ...trust(), restCertFingerprint: "ab".repeat(32) });
    const e = await rejection(rest.systemInfo());
    expect(e.code).toBe("certificate-changed");
    expect(e.message).toContain(api.fingerprint);
    expect(seen.length).toBe(before);
    rest.close();
  });

  it("does not fall back to trusting a self-signed certificate when no PEM is pinned", async () => {
    const rest = createRestClient(endpoint(), creds, { ...trust(), restCertPem: undefined });
    expect((await rejection(rest.systemInfo())).code).toBe("certificate-changed");
    rest.close();
  });
});

describe("tokens and errors", () => {
  it("logs in once, reuses the jwt, and logs in again once on a 401", async () => {
    const rest = createRestClient(endpoint(), creds, trust());
    const logins = () => seen.filter((s) => s.url === "/api/v1/auth/tokens/").length;
    const before = logins();
    await Promise.all([rest.systemInfo(), rest.systemInfo(), rest.systemInfo()]);
    expect(logins() - before).toBe(1);
    revoked.add(`jwt-${issued}`);
    expect((await rest.systemInfo()).name).toBe("cm-1");
    expect(logins() - before).toBe(2);
    rest.close();
  });

  it("turns a refused login into appliance-refused with the appliance's words", async () => {
    const rest = createRestClient(endpoint(), { ...creds, restPassword: "wrong" }, trust());
    const e = await rejection(rest.systemInfo());
    expect(e.code).toBe("appliance-refused");
    expect(e.message).toMatch(/Invalid user credentials \(NCERRUnauthorizedAccess\)/);
    rest.close();
  });

  it("keeps codeDesc and status; 503 is retryable", async () => {
    const rest = createRestClient(endpoint(), creds, trust());
    const e = await rejection(rest.cluster());
    expect(e.code).toBe("appliance-refused");
    expect(e.message).toContain("database is locked (NCERRInternal)");
    expect(e.details).toMatchObject({ httpStatus: 500, codeDesc: "NCERRInternal" });
    expect((await rejection(rest.servicesStatus())).code).toBe("appliance-unreachable");
    expect(await rest.getProperty("ENABLE_RECORDS_DB_STORE")).toBeNull();
    rest.close();
  });

  it("bounds every request with a timeout", async () => {
    const silent = await startTestHttps(() => undefined); // accepts TLS, never answers
    const t0 = Date.now();
    const rest = createRestClient({ ...endpoint(), restUrl: silent.url }, creds, { ...trust(), restCertFingerprint: silent.fingerprint, restCertPem: silent.certPem }, { timeoutMs: 300 });
    expect((await rejection(rest.systemInfo())).code).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(3_000);
    rest.close();
    await silent.stop();
  });

  it("maps a closed port to appliance-unreachable", async () => {
    const rest = createRestClient({ ...endpoint(), restUrl: `https://127.0.0.1:${await freePort()}` }, creds, trust());
    expect((await rejection(rest.systemInfo())).code).toBe("appliance-unreachable");
    rest.close();
  });
});

describe("downloads", () => {
  it("streams a backup to disk and reports bytes and sha256", async () => {
    const rest = createRestClient(endpoint(), creds, trust());
    const dest = path.join(dir, "b1.cmbak");
    const r = await rest.downloadBackup("b1", dest);
    expect(r).toEqual({ bytes: BACKUP.length, sha256: createHash("sha256").update(BACKUP).digest("hex") });
    expect((await readFile(dest)).equals(BACKUP)).toBe(true);
    rest.close();
  });

  it("leaves no file behind when the download is cut short", async () => {
    const rest = createRestClient(endpoint(), creds, trust());
    const e = await rejection(rest.downloadBackup("cut", path.join(dir, "cut.cmbak")));
    expect(e.code).toBe("appliance-unreachable");
    expect((await readdir(dir)).filter((f) => f.startsWith("cut"))).toEqual([]);
    rest.close();
  });
});

describe("probe", () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startTestSshd([newClientKey().publicKey], { logLevel: "DEBUG1", banner: "CipherTrust Manager\nVersion 2.21.0+15451\n" });
  });
  afterAll(() => sshd?.stop());

  it("shows both fingerprints and the banner without offering any key or password", async () => {
    const p = await probeAppliance({ host: "127.0.0.1", sshPort: sshd.port, restUrl: api.url });
    expect(p.sshHostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    expect(p.sshHostKeyAlgorithm).toBe("ssh-ed25519");
    expect(p.sshBanner).toContain("Version 2.21.0+15451");
    expect(p.sshServerSoftware).toMatch(/^OpenSSH_/);
    expect(p.restCertFingerprint).toBe(api.fingerprint);
    expect(p.restCertPem.replace(/\s/g, "")).toBe(api.certPem.replace(/\s/g, ""));
    expect(p.restCertSubject).toContain("CN=appliance.test");
    expect(new Date(p.restCertValidTo).getTime()).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 200));
    const log = sshd.log();
    expect(log).toMatch(/method none/);
    expect(log).not.toMatch(/method publickey|method password|method keyboard-interactive/);
  });

  it("fails with appliance-unreachable when nothing listens", async () => {
    const e = await rejection(probeAppliance({ host: "127.0.0.1", sshPort: await freePort(), restUrl: api.url }, { timeoutMs: 2_000 }));
    expect(e.code).toBe("appliance-unreachable");
  });
});
