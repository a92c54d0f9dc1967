// The SFTP subsystem over ksadmin's home folder. Requests are served one at a time, in order,
// as OpenSSH's sftp-server does: OpenSSH's scp trusts the order of write acknowledgements and
// truncates the file at the last in-order one, so replies out of order would lose data.
import type { EventEmitter } from "node:events";
import type { SFTPWrapper } from "ssh2";
import type { ApplianceNode } from "../../core/appliance-node";
import { HandleTable } from "./handles";
import { sftpRequestHandlers } from "./sftp-requests";
import type { ConnectionLink } from "./sftp-write";

export function serveSftp(node: ApplianceNode, sftp: SFTPWrapper, link: ConnectionLink): void {
  const handles = new HandleTable();
  const handlers = sftpRequestHandlers(node, sftp, link, handles);
  let tail: Promise<void> = Promise.resolve();
  const events = sftp as unknown as EventEmitter;
  for (const [request, handler] of Object.entries(handlers)) {
    events.on(request, (...args: unknown[]) => {
      // ssh2 may reuse a packet's memory once the event returns; a queued WRITE keeps a copy.
      const own = args.map((a) => (Buffer.isBuffer(a) ? Buffer.from(a) : a));
      tail = tail.then(() => (handler as (...a: unknown[]) => Promise<void> | void)(...own)).catch(() => undefined);
    });
  }

  // scp and sftp clients read the exit status of the subsystem channel (toolchain.md).
  sftp.on("end", () => {
    void tail.then(() => {
      sendExitStatus(sftp, 0);
      sftp.end();
    });
  });
  sftp.on("close", () => {
    void tail.then(() => {
      for (const h of handles.drain()) {
        if (h.kind !== "file") continue;
        void h.fd.close().catch(() => undefined);
        if (h.writable) node.record.add("sftp", `upload interrupted: ${h.remote} (${h.bytesReceived} bytes received, size ${h.size})`);
      }
      node.changed();
    });
  });
}

/** ssh2 gives SFTP streams no exit(); the protocol object under them has it. */
function sendExitStatus(sftp: SFTPWrapper, code: number): void {
  const raw = sftp as unknown as { _protocol?: { exitStatus(id: number, code: number): void }; outgoing?: { id: number; state: string } };
  if (raw._protocol && raw.outgoing && raw.outgoing.state === "open") raw._protocol.exitStatus(raw.outgoing.id, code);
}
