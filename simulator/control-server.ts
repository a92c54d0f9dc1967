// An HTTP control API on 127.0.0.1 for out-of-process tests and the demo: list the fleet and its
// clusters, switch faults, read what was done to an appliance (or to all, in order), reset or reboot it.
import http from "node:http";
import type net from "node:net";
import { ZodError } from "zod";
import { FaultsPatchSchema } from "./config";
import { describeAppliance, type SimulatedFleet } from "./fleet";

export interface ControlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Reply = { status: number; json: unknown };

export async function startControlServer(fleet: SimulatedFleet, opts: { port?: number; host?: string } = {}): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    void route(fleet, req).then(
      (reply) => send(res, reply),
      (e: unknown) => send(res, e instanceof ZodError ? { status: 400, json: { error: "bad faults", issues: e.issues } } : { status: 500, json: { error: (e as Error).message } }),
    );
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(fleet: SimulatedFleet, req: http.IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? "/", "http://control");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? "GET";
  if (parts.length === 1 && parts[0] === "record" && method === "GET") return { status: 200, json: fleet.record() };
  if (parts.length === 1 && parts[0] === "clusters" && method === "GET") {
    return { status: 200, json: fleet.clusters.map((c) => ({ name: c.name, nodes: c.nodes.map((n) => n.name) })) };
  }
  if (parts[0] !== "appliances") return { status: 404, json: { error: "not found" } };
  if (parts.length === 1 && method === "GET") return { status: 200, json: fleet.appliances.map(describeAppliance) };
  const appliance = fleet.get(parts[1] ?? "");
  if (!appliance) return { status: 404, json: { error: `no appliance named ${parts[1]}` } };
  const action = parts.slice(2).join("/");
  if (action === "" && method === "GET") return { status: 200, json: describeAppliance(appliance) };
  if (action === "record" && method === "GET") return { status: 200, json: appliance.record };
  if (action === "faults" && method === "GET") return { status: 200, json: appliance.faults };
  if (action === "faults" && method === "POST") {
    const patch = FaultsPatchSchema.parse(await readJson(req));
    return { status: 200, json: await appliance.setFaults(patch) };
  }
  if (action === "reset" && method === "POST") {
    await appliance.reset();
    return { status: 200, json: describeAppliance(appliance) };
  }
  if (action === "reboot" && method === "POST") {
    void appliance.reboot();
    return { status: 202, json: { rebooting: true } };
  }
  return { status: 404, json: { error: `no ${method} ${url.pathname}` } };
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) {
    text += (chunk as Buffer).toString("utf8");
    if (text.length > 64 * 1024) throw new Error("body too large");
  }
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch {
    throw new ZodError([{ code: "custom", message: "body is not JSON", path: [], input: text }]);
  }
}

function send(res: http.ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.json);
  res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
