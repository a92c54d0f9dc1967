// The chaos suite's judgements, table-driven: what counts as a truthful end and as a second script start.
import { describe, expect, it } from "vitest";
import { countScriptStarts, judgePlanState } from "./invariants";

const step = (key: string, state: string, outcome: string | null = null) => ({ key, state, outcome });

describe("judgePlanState", () => {
  it.each([
    ["succeeded with every step done", { state: "succeeded", stateReason: null, steps: [step("a", "succeeded"), step("b", "skipped")] }, 0],
    ["succeeded with a step pending", { state: "succeeded", stateReason: null, steps: [step("a", "succeeded"), step("b", "pending")] }, 1],
    ["failed with the failing step and reason", { state: "failed", stateReason: "upload failed", steps: [step("a", "failed", "No space left on device")] }, 0],
    ["failed with no failed step and no reason", { state: "failed", stateReason: null, steps: [step("a", "pending")] }, 2],
    ["paused without a reason", { state: "paused", stateReason: null, steps: [] }, 1],
    ["still running", { state: "running", stateReason: null, steps: [step("a", "running")] }, 1],
  ])("%s", (_label, plan, violations) => {
    expect(judgePlanState({ id: "p", ...plan })).toHaveLength(violations);
  });
});

describe("countScriptStarts", () => {
  const entry = (channel: "ssh" | "sftp", what: string, seq: number) => ({ seq, at: "2026-01-01T00:00:00Z", channel, what });
  it("counts each vendor script command, not uploads or other commands", () => {
    expect(countScriptStarts([
      entry("sftp", "upload started: /home/ksadmin/ks_upgrade_2.11.0+13003.tar.gz.gpg (size 0)", 1),
      entry("ssh", "sudo /opt/keysecure/ks_upgrade.sh -f /home/ksadmin/ks_upgrade_2.11.0+13003.tar.gz.gpg", 2),
      entry("ssh", "df -B1 /", 3),
      entry("ssh", "sudo /opt/keysecure/ks_downgrade.sh -f /home/ksadmin/x.gpg", 4),
    ])).toBe(2);
  });
});
