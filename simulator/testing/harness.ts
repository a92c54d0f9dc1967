// A fresh appliance per test: its own stateDir, a client key it trusts, a fast clock.
import fs from "node:fs";
import path from "node:path";
import { startAppliance, type SimulatedAppliance } from "../appliance";
import type { ApplianceConfig } from "../config";
import { connectSsh, fastPut, makeClientKey, openSftp, tempDir, type ClientKey } from "./clients";

export interface TestAppliance {
  appliance: SimulatedAppliance;
  key: ClientKey;
  stateDir: string;
  stop(): Promise<void>;
}

export async function startTestAppliance(overrides: Partial<ApplianceConfig> = {}): Promise<TestAppliance> {
  const key = makeClientKey();
  const stateDir = overrides.stateDir ?? tempDir();
  const appliance = await startAppliance({
    name: "cm-test",
    timeScale: 0.002,
    ...overrides,
    stateDir,
    authorizedKeys: [key.publicLine, ...(overrides.authorizedKeys ?? [])],
  });
  return {
    appliance,
    key,
    stateDir,
    async stop() {
      await appliance.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Copies a local file into ksadmin's home over SFTP; returns the remote path. */
export async function upload(t: TestAppliance, localPath: string, remoteName = path.basename(localPath)): Promise<string> {
  const client = await connectSsh(t.appliance, t.key);
  try {
    const sftp = await openSftp(client);
    const remote = `/home/ksadmin/${remoteName}`;
    await fastPut(sftp, localPath, remote);
    return remote;
  } finally {
    client.end();
  }
}
