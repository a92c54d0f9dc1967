// Connections and REST clients kept between a worker's steps, against the appliance simulator: reused
// while healthy, never after an error, a drop (reboot) or with another pinned key.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readServiceStatus } from "./commands";
import { closeSshPool, dropSshSessions, idleSshSessions, withPooledSsh } from "./ssh-pool";
import { closeRestPool, dropRestClients, sharedRestClient } from "./rest-pool";
import type { SshSession } from "./ssh-session";
import { startSimulatedTarget, type SimulatedTarget } from "./testing/simulated-appliance";

let t: SimulatedTarget;

beforeAll(async () => {
  t = await startSimulatedTarget({ version: "2.10.0+12345" });
});
afterEach(async () => {
  delete process.env.FLEET_SSH_IDLE_MS;
  closeRestPool();
  await closeSshPool();
});
afterAll(async () => {
  await t?.stop();
});

const sessionOf = () => withPooledSsh(t.endpoint, t.credentials, t.trust, {}, async (s) => {
  await readServiceStatus(s);
  return s;
});

describe("the SSH pool", () => {
  it("hands the next step the connection the last one left open", async () => {
    const first = await sessionOf();
    expect(idleSshSessions(t.endpoint)).toBe(1);
    const second = await sessionOf();
    expect(second).toBe(first);
    expect(second.closed).toBe(false);
  });

  it("closes a connection whose work failed instead of keeping it", async () => {
    let used: SshSession | null = null;
    await expect(withPooledSsh(t.endpoint, t.credentials, t.trust, {}, async (s) => {
      used = s;
      throw new AppError("appliance-error", "the step failed");
    })).rejects.toThrow(/the step failed/);
    expect(used!.closed).toBe(true);
    expect(idleSshSessions(t.endpoint)).toBe(0);
    expect(await sessionOf()).not.toBe(used);
  });

  it("drops every kept connection to an appliance that reboots", async () => {
    const first = await sessionOf();
    expect(await dropSshSessions(t.endpoint)).toBe(1);
    expect(first.closed).toBe(true);
    expect(await sessionOf()).not.toBe(first);
  });

  it("never reuses a connection for another pinned host key: the new pin is checked on a new connection", async () => {
    await sessionOf();
    const otherPin = { ...t.trust, sshHostKeyFingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
    const e = await withPooledSsh(t.endpoint, t.credentials, otherPin, {}, async () => "ran").catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("host-key-changed");
  });

  it("keeps nothing when FLEET_SSH_IDLE_MS is 0", async () => {
    process.env.FLEET_SSH_IDLE_MS = "0";
    const first = await sessionOf();
    expect(idleSshSessions(t.endpoint)).toBe(0);
    expect(first.closed).toBe(true);
  });
});

describe("the REST pool", () => {
  it("shares one logged-in client per appliance until a call fails or the appliance reboots", async () => {
    const a = sharedRestClient(t.endpoint, t.credentials, t.trust);
    expect((await a.systemInfo()).version).toBe("2.10.0+12345");
    expect(sharedRestClient(t.endpoint, t.credentials, t.trust)).toBe(a);

    dropRestClients(t.endpoint);
    const b = sharedRestClient(t.endpoint, t.credentials, t.trust);
    expect(b).not.toBe(a);
    expect((await b.systemInfo()).version).toBe("2.10.0+12345");

    await expect(b.getBackup("no-such-backup")).rejects.toBeInstanceOf(AppError);
    expect(sharedRestClient(t.endpoint, t.credentials, t.trust)).not.toBe(b);
  });

  it("keeps clients apart per pinned certificate", () => {
    const a = sharedRestClient(t.endpoint, t.credentials, t.trust);
    const other = sharedRestClient(t.endpoint, t.credentials, { ...t.trust, restCertFingerprint: "00".repeat(32) });
    expect(other).not.toBe(a);
  });
});
