import crypto from "node:crypto"; import fs from "node:fs"; import path from "node:path"; import { execFile } from "node:child_process"; import { promisify } from "node:util";
import { startTestAppliance } from "@/simulator/testing/harness";
import { tempDir } from "@/simulator/testing/clients";
const ex = promisify(execFile);
const t = await startTestAppliance();
const work = tempDir(); 
const k = path.join(work, "k"); fs.writeFileSync(k, t.key.privateKey, { mode: 0o600 });
for (let i = 0; i < 30; i++) {
  const f = path.join(work, `x${i}.bin`); fs.writeFileSync(f, crypto.randomBytes(512 * 1024));
  const r = await ex("scp", ["-i", k, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-P", String(t.appliance.sshPort), f, `ksadmin@127.0.0.1:.`]).catch((e) => e);
  const got = fs.readFileSync(path.join(t.stateDir, `home/ksadmin/x${i}.bin`));
  if (got.length !== 524288) console.log(i, "code", r.code, "size", got.length, r.stderr);
}
console.log(t.appliance.record.filter(e => !e.what.includes("524288 bytes")));
await t.stop();
