// What appliances print, garbled: REST replies (every schema of rest-schemas.ts, through the same
// RestSession.parse the client uses), df and systemctl output, cut at every point or replaced by
// garbage. Nothing throws anything but a typed AppError or returns anything but a typed value,
// and a reply cut short is never read as a different, valid answer.
import { Readable } from "node:stream";
import type { IncomingMessage } from "node:http";
import fc from "fast-check";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { RestSession } from "@/lib/appliance/rest-session";
import type { PinnedHttps } from "@/lib/appliance/https-pinned";
import * as S from "@/lib/appliance/rest-schemas";
import { AppError } from "@/lib/errors";
import { parseDfOutput } from "@/lib/domain/df-output";
import { isServiceHealthy, parseSystemctlStatus } from "@/lib/domain/systemctl";
import { classifyNodeStatus } from "@/lib/domain/cluster-node-status";

// parse() reads only the body and `where`; no connection is made.
const session = new RestSession({ where: "cm-prop.example" } as PinnedHttps, { sshUser: "ksadmin", privateKey: "", restUsername: "u", restPassword: "p" }, 5_000);
const reply = (text: string) => Readable.from([Buffer.from(text)]) as unknown as IncomingMessage;

const node = { nodeID: "n1", status: { code: "r", description: "ready" }, host: "10.0.0.1", port: 5696, isThisNode: true };
const REPLIES: [string, z.ZodType, unknown][] = [
  ["system info", S.SystemInfoSchema, { name: "cm-1", version: "2.11.0+13099", model: "k170v", vendor: "Thales", uptime: 123 }],
  ["services", S.ServicesStatusSchema, { services: [{ name: "keysecure", status: "started" }, { name: "api-gateway", status: "started" }] }],
  ["cluster info", S.ClusterInfoSchema, { nodeID: "n1", status: { code: "r", description: "ready" }, nodeCount: 3 }],
  ["cluster node list", S.listSchema(S.ClusterNodeSchema), { skip: 0, limit: 10, total: 2, resources: [node, { ...node, nodeID: "n2", isThisNode: false }] }],
  ["cluster summary", S.ClusterSummarySchema, { nodeCount: 2, versions: ["2.11.0"], nodes: [{ ...node, version: "2.11.0" }] }],
  ["join grant", S.JoinGrantSchema, { cert: "-----BEGIN CERTIFICATE-----", cachain: "chain", mkek_blob: "blob" }],
  ["backup", S.BackupSchema, { id: "b1", status: "Completed", scope: "system", createdAt: "2026-11-30T10:00:00Z" }],
  ["property", S.PropertySchema, { name: "ENABLE_RECORDS_DB_STORE", value: "true" }],
];

async function outcome(schema: z.ZodType, text: string): Promise<{ ok: true; value: unknown } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await session.parse(reply(text), schema, "GET /test") };
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("appliance-error");
    expect((e as AppError).message).toMatch(/^cm-prop\.example: GET \/test answered /);
    return { ok: false, error: e as AppError };
  }
}

describe("[API] REST replies, garbled", () => {
  it.each(REPLIES)("%s: every truncation is refused or reads exactly the full reply", async (_name, schema, body) => {
    const text = JSON.stringify(body, null, 1);
    const full = await outcome(schema, text);
    expect(full.ok).toBe(true);
    for (let cut = 1; cut < text.length; cut++) {
      const result = await outcome(schema, text.slice(0, cut));
      // Trailing whitespace aside, a prefix of a JSON object is never complete JSON.
      if (result.ok) expect(text.slice(cut).trim()).toBe("");
    }
  });

  it.each(REPLIES)("%s: arbitrary JSON and garbage give a value or an appliance-error", async (_name, schema, body) => {
    const field = fc.tuple(fc.constantFrom(...Object.keys(body as object)), fc.jsonValue()).map(([k, v]) => JSON.stringify({ ...(body as object), [k]: v }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), field, fc.string({ unit: "binary" })), async (text) => {
        await outcome(schema, text);
      }),
      { numRuns: 200 },
    );
  });

  it("a cluster node's status of any shape is classified, never thrown on", () => {
    fc.assert(
      fc.property(fc.option(fc.record({ code: fc.string(), description: fc.option(fc.string(), { nil: undefined }) })), (status) => {
        expect(["ready", "wait", "rejoin", "remove"]).toContain(classifyNodeStatus(status).kind);
      }),
    );
  });
});

const DF = "Filesystem      1B-blocks        Used    Available Capacity Mounted on\n/dev/sda2    105089261568 41740734464  58963124224      42% /\n";
const DF_H = "Filesystem      Size  Used Avail Use% Mounted on\n/dev/mapper/vg-root\n                 98G   39G   55G  42% /\n";

describe("[U7] df output cut short", () => {
  it.each([["df -B1", DF], ["df -h, wrapped", DF_H]])("%s: every prefix is refused with a code or reads the full figures", (_name, text) => {
    const full = parseDfOutput(text);
    expect(full.ok).toBe(true);
    for (let cut = 0; cut < text.length; cut++) {
      const r = parseDfOutput(text.slice(0, cut));
      if (r.ok) expect(r.reading).toEqual(full.ok && full.reading);
      else expect(r.message.length).toBeGreaterThan(10);
    }
  });
});

const SYSTEMCTL = (active: string) => `● keysecure.service - CipherTrust Manager\n     Loaded: loaded (/etc/systemd/system/keysecure.service; enabled)\n     Active: ${active}\n   Main PID: 1234 (ks)\n`;

describe("[U10] systemctl output cut short", () => {
  it("a prefix of a stopped, failed or exited service's status is never read as healthy", () => {
    const unhealthy = ["failed (Result: exit-code) since Tue 2024-01-02 10:00:00 UTC; 2min ago", "inactive (dead)", "active (exited) since Tue 2024-01-02 10:00:00 UTC; 1h ago", "activating (start) since Tue 2024-01-02 10:00:00 UTC; 3s ago"];
    fc.assert(
      fc.property(fc.constantFrom(...unhealthy), fc.nat(), fc.constantFrom(0, 3, 4, null), (active, at, exit) => {
        const text = SYSTEMCTL(active);
        const status = parseSystemctlStatus(text.slice(0, at % (text.length + 1)), exit);
        expect(isServiceHealthy(status)).toBe(false);
        expect(status.detail.length).toBeGreaterThan(10);
      }),
      { numRuns: 500 },
    );
  });
});
