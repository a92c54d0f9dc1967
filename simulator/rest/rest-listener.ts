// The appliance's HTTPS REST API. Closed while rebooting (connection refused); answers 503
// while the API gateway or keysecure is not running, or while its cluster's database is locked;
// records every state-changing call.
import https from "node:https";
import type net from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplianceNode } from "../core/appliance-node";
import type { TlsIdentity } from "../identity/tls-cert";
import { clusterLockMessage } from "../cluster/schema-lock";
import { errorReply, HttpError, type RestReply } from "./http-io";
import { matchRoute, type Route } from "./router";
import { verifyJwt } from "./tokens";
import { authRoutes } from "./routes/auth";
import { backupKeyRoutes } from "./routes/backup-keys";
import { backupRoutes } from "./routes/backups";
import { clusterRoutes } from "./routes/cluster";
import { nodeRoutes } from "./routes/nodes";
import { propertyRoutes } from "./routes/properties";
import { systemRoutes } from "./routes/system";

const ROUTES: Route[] = [...authRoutes, ...systemRoutes, ...clusterRoutes, ...nodeRoutes, ...backupRoutes, ...backupKeyRoutes, ...propertyRoutes];

export class RestListener {
  private server: https.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    private readonly node: ApplianceNode,
    private readonly tls: TlsIdentity,
    public port: number,
  ) {}

  get isOpen(): boolean {
    return this.server !== null;
  }

  async open(): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ key: this.tls.key, cert: this.tls.cert }, (req, res) => void this.handle(req, res));
    server.on("connection", (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("tlsClientError", () => undefined);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.node.config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.refreshTokens.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "https://appliance");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    let reply: RestReply;
    try {
      reply = await this.dispatch(req, method, path, url.searchParams);
    } catch (e) {
      reply = e instanceof HttpError ? errorReply(e.status, e.message) : errorReply(500, (e as Error).message);
    }
    if (method !== "GET" && method !== "HEAD" && path !== "/api/v1/auth/tokens") {
      this.node.record.add("rest", `${method} ${path}`, { status: reply.status });
      this.node.changed();
    }
    send(res, reply);
  }

  private async dispatch(req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<RestReply> {
    const node = this.node;
    if (!node.apiGatewayUp()) return errorReply(503, "The service is starting; try again later");
    // [O3] The schema upgrade locks the shared database: every node of the cluster answers errors.
    const locked = clusterLockMessage(node);
    if (locked) return errorReply(503, locked);
    const match = matchRoute(ROUTES, method, path);
    if (!match) return errorReply(404, "Resource not found");
    if ("methodNotAllowed" in match) return errorReply(405, `${method} is not allowed on ${path}`);
    let user: string | null = null;
    if (!match.route.public) {
      const header = req.headers.authorization ?? "";
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      user = token ? verifyJwt(node.state.jwtSecret, token) : null;
      if (!user) return errorReply(401, token ? "Token is invalid or expired" : "Authorization header with a Bearer token is required");
    }
    if (match.route.needsKeysecure && node.services.get("keysecure") !== "started") {
      return errorReply(503, "keysecure is not running");
    }
    return match.route.handler({ node, req, params: match.params, query, user, refreshTokens: this.refreshTokens });
  }
}

function send(res: ServerResponse, reply: RestReply): void {
  if (reply.status === 204) {
    res.writeHead(204);
    res.end();
    return;
  }
  if ("json" in reply) {
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(reply.status, {
    "content-type": reply.contentType,
    "content-length": reply.bytes.length,
    "content-disposition": `attachment; filename="${reply.fileName}"`,
  });
  res.end(reply.bytes);
}
