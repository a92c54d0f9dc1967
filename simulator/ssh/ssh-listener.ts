// The appliance's sshd: user ksadmin, public-key authentication only, exec requests and the
// SFTP subsystem. Each TCP connection gets its own ssh2 Server object so the connection knows
// its socket (to drop it on reboot or by fault) and sees the banner of the running firmware.
import net from "node:net";
import ssh2, { type Connection, type PublicKeyAuthContext } from "ssh2";
import type { ApplianceNode } from "../core/appliance-node";
import type { HostKeyStore } from "../identity/host-key";
import { isAuthorized, readAuthorizedKeys } from "../identity/authorized-keys";
import { runCommandLine } from "./exec";
import { serveSftp } from "./sftp/sftp-session";
import type { ConnectionLink } from "./sftp/sftp-write";

const IDENT = "OpenSSH_8.9p1 Ubuntu-3ubuntu0.10";

export class SshListener {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly node: ApplianceNode,
    private readonly hostKeys: HostKeyStore,
    public port: number,
  ) {}

  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => this.accept(socket));
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

  /** Stops listening and cuts every connection, as a powered-off appliance would. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const link: ConnectionLink = {
      sftpBytes: 0,
      closed: false,
      drop: () => {
        link.closed = true;
        socket.destroy();
      },
    };
    this.sockets.add(socket);
    socket.on("close", () => {
      link.closed = true;
      this.sockets.delete(socket);
    });
    socket.on("error", () => socket.destroy());
    const ssh = new ssh2.Server(
      {
        hostKeys: [this.hostKeys.key],
        ident: IDENT,
        banner: `CipherTrust Manager\nVersion ${this.node.state.version}\n`,
      },
      (client) => this.serve(client, link),
    );
    ssh.on("error", () => socket.destroy());
    ssh.injectSocket(socket);
  }

  private serve(client: Connection, link: ConnectionLink): void {
    const node = this.node;
    client.on("error", () => undefined);
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey" || ctx.username !== "ksadmin") return ctx.reject(["publickey"]);
      if (!keyAccepted(node, ctx)) return ctx.reject(["publickey"]);
      ctx.accept();
    });
    client.on("ready", () => {
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (accept) => accept?.());
        session.on("env", (accept) => accept?.());
        session.on("shell", (accept) => {
          const channel = accept();
          channel.stderr.write("This appliance takes commands only: ssh ksadmin@<host> <command>\r\n");
          channel.exit(1);
          channel.end();
        });
        session.on("exec", (accept, _reject, info) => {
          const channel = accept();
          const entry = node.record.add("ssh", info.command);
          node.changed();
          void runCommandLine(node, info.command, { out: channel, err: channel.stderr }).then((result) => {
            if (result === "disconnect") return;
            entry.exitCode = result;
            entry.endedAt = new Date().toISOString();
            node.changed();
            if (channel.destroyed) return;
            // exit before end, or OpenSSH clients report 255 (toolchain.md).
            channel.exit(result);
            channel.end();
          });
        });
        session.on("sftp", (accept) => serveSftp(node, accept(), link));
      });
    });
  }
}

function keyAccepted(node: ApplianceNode, ctx: PublicKeyAuthContext): boolean {
  const keys = readAuthorizedKeys(node.config.authorizedKeys, node.config.authorizedKeysFile);
  const key = isAuthorized(keys, ctx.key.data);
  if (!key) return false;
  // Without a signature the client only asks whether this key would do.
  if (!ctx.signature || !ctx.blob) return true;
  return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
}
