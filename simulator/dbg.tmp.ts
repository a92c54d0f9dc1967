import crypto from "node:crypto"; import fs from "node:fs"; import path from "node:path"; import { execFileSync } from "node:child_process";
import { startTestAppliance } from "@/simulator/testing/harness";
import { tempDir } from "@/simulator/testing/clients";
const t = await startTestAppliance();
const work = tempDir(); const f = path.join(work, "x.bin"); fs.writeFileSync(f, crypto.randomBytes(512 * 1024));
const k = path.join(work, "k"); fs.writeFileSync(k, t.key.privateKey, { mode: 0o600 });
try { execFileSync("scp", ["-v", "-i", k, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-P", String(t.appliance.sshPort), f, `ksadmin@127.0.0.1:.`], { stdio: ["ignore", "inherit", "inherit"] }); } catch (e) { console.log("scp failed") }
const got = fs.readFileSync(path.join(t.stateDir, "home/ksadmin/x.bin"));
const want = fs.readFileSync(f);
console.log(got.length, want.length);
let firstDiff = -1; for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) { firstDiff = i; break; }
console.log("first diff", firstDiff, t.appliance.record);
await t.stop();
