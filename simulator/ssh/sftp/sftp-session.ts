// The SFTP subsystem over ksadmin's home folder: files are streamed to and from disk one
// request at a time (never whole in memory), and writes are charged to the simulated disk.
import fs from "node:fs";
import fsp from "node:fs/promises";
import ssh2, { type SFTPWrapper } from "ssh2";
import type { ApplianceNode } from "../../core/appliance-node";
import { resolveRemotePath } from "../remote-path";
import { attrsOf, longnameOf, statusOfErrno } from "./attrs";
import { HandleTable, type FileHandle } from "./handles";
import { fsFlagsFromSftp, isAppendMode, isWriteMode } from "./open-flags";
import { handleWrite, type ConnectionLink } from "./sftp-write";

const { STATUS_CODE } = ssh2.utils.sftp;
const MAX_READ = 256 * 1024;

export function serveSftp(node: ApplianceNode, sftp: SFTPWrapper, link: ConnectionLink): void {
  const handles = new HandleTable();
  const ok = (id: number) => sftp.status(id, STATUS_CODE.OK);
  const fail = (id: number, e: unknown) => {
    const s = statusOfErrno((e as NodeJS.ErrnoException).code);
    sftp.status(id, s.status, s.message);
  };
  const local = (id: number, p: string): string | null => {
    const r = resolveRemotePath(node.homeDir, p);
    if (r.ok) return r.local;
    sftp.status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
    return null;
  };
  const uploaded = (h: FileHandle, how: string) => {
    if (h.writable) node.record.add("sftp", `${how} ${h.remote} (${h.bytesReceived} bytes received, size ${h.size})`);
  };

  sftp.on("OPEN", async (id, filename, pflags) => {
    console.log("OPEN", filename, pflags);
    const r = resolveRemotePath(node.homeDir, filename);
    if (!r.ok) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
    try {
      const before = fs.statSync(r.local, { throwIfNoEntry: false });
      const fd = await fsp.open(r.local, fsFlagsFromSftp(pflags), 0o644);
      const size = (await fd.stat()).size;
      if (before && before.size > size) node.disk.shrink(before.size - size);
      const h = handles.addFile({ fd, remote: r.remote, local: r.local, size, writable: isWriteMode(pflags), append: isAppendMode(pflags), bytesReceived: 0 });
      sftp.handle(id, h);
    } catch (e) {
      fail(id, e);
    }
  });

  sftp.on("WRITE", (id, handle, offset, data) => {
    const h = handles.file(handle);
    if (!h) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    void handleWrite(node, sftp, link, h, id, offset, data);
  });

  sftp.on("READ", (...a: any[]) => console.log("READ", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && async (id, handle, offset, length) => {
    const h = handles.file(handle);
    if (!h) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    try {
      const buf = Buffer.alloc(Math.min(length, MAX_READ));
      const { bytesRead } = await h.fd.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) sftp.status(id, STATUS_CODE.EOF);
      else sftp.data(id, buf.subarray(0, bytesRead));
    } catch (e) {
      fail(id, e);
    }
  });

  sftp.on("FSTAT", (...a: any[]) => console.log("FSTAT", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && async (id, handle) => {
    const h = handles.file(handle);
    if (!h) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    sftp.attrs(id, attrsOf(await h.fd.stat()));
  });

  const statPath = async (id: number, p: string) => {
    const l = local(id, p);
    if (!l) return;
    try {
      sftp.attrs(id, attrsOf(await fsp.stat(l)));
    } catch (e) {
      fail(id, e);
    }
  };
  sftp.on("STAT", (...a: any[]) => console.log("STAT", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && statPath);
  sftp.on("LSTAT", (...a: any[]) => console.log("LSTAT", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && statPath);

  const truncate = async (id: number, l: string, size: number | undefined) => {
    if (size === undefined) return ok(id);
    try {
      const before = (await fsp.stat(l)).size;
      if (size > before && !node.disk.tryGrow(size - before)) return sftp.status(id, STATUS_CODE.FAILURE, "No space left on device");
      await fsp.truncate(l, size);
      if (size < before) node.disk.shrink(before - size);
      ok(id);
    } catch (e) {
      fail(id, e);
    }
  };
  sftp.on("SETSTAT", (...a: any[]) => console.log("SETSTAT", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && (id, p, attrs) => {
    const l = local(id, p);
    if (l) void truncate(id, l, attrs.size);
  });
  sftp.on("FSETSTAT", (...a: any[]) => console.log("FSETSTAT", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && (id, handle, attrs) => {
    const h = handles.file(handle);
    if (!h) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    if (attrs.size !== undefined) h.size = attrs.size;
    void truncate(id, h.local, attrs.size);
  });

  sftp.on("CLOSE", (...a: any[]) => console.log("CLOSE", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && async (id, handle) => {
    const h = handles.take(handle);
    if (!h) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    if (h.kind === "file") {
      if ((globalThis as any).pending) console.log("CLOSE with pending writes", (globalThis as any).pending, h.append, h.bytesReceived);
      await h.fd.close().catch(() => undefined);
      uploaded(h, "upload");
      node.changed();
    }
    ok(id);
  });

  sftp.on("REALPATH", (...a: any[]) => console.log("REALPATH", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && (id, p) => {
    const r = resolveRemotePath(node.homeDir, p);
    sftp.name(id, [{ filename: r.remote, longname: r.remote, attrs: {} as never }]);
  });

  sftp.on("OPENDIR", (...a: any[]) => console.log("OPENDIR", JSON.stringify(a.slice(1).map(x => Buffer.isBuffer(x) ? x.length : x)), (globalThis as any).pending), true && async (id, p) => {
    const l = local(id, p);
    if (!l) return;
    try {
      const names = await fsp.readdir(l);
      const entries = await Promise.all(
        [".", "..", ...names].map(async (n) => {
          const st = await fsp.stat(n === ".." ? node.homeDir : `${l}/${n}`);
          return { filename: n, longname: longnameOf(n, st), attrs: attrsOf(st) };
        }),
      );
      sftp.handle(id, handles.addDir(entries));
    } catch (e) {
      fail(id, e);
    }
  });

  sftp.on("READDIR", (id, handle) => {
    const d = handles.dir(handle);
    if (!d) return sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
    const batch = d.entries.splice(0, 100);
    if (batch.length === 0) sftp.status(id, STATUS_CODE.EOF);
    else sftp.name(id, batch);
  });

  sftp.on("REMOVE", async (id, p) => {
    const l = local(id, p);
    if (!l) return;
    try {
      const st = await fsp.stat(l);
      await fsp.unlink(l);
      node.disk.shrink(st.size);
      node.record.add("sftp", `remove ${resolveRemotePath(node.homeDir, p).remote}`);
      node.changed();
      ok(id);
    } catch (e) {
      fail(id, e);
    }
  });

  sftp.on("RMDIR", async (id, p) => {
    const l = local(id, p);
    if (l) await fsp.rmdir(l).then(() => ok(id), (e: unknown) => fail(id, e));
  });

  sftp.on("MKDIR", async (id, p) => {
    const l = local(id, p);
    if (l) await fsp.mkdir(l).then(() => ok(id), (e: unknown) => fail(id, e));
  });

  sftp.on("RENAME", async (id, from, to) => {
    const a = local(id, from);
    const b = a && local(id, to);
    if (!a || !b) return;
    // SFTP v3 rename does not replace an existing target (OpenSSH's sftp-server links then unlinks).
    if (fs.existsSync(b)) return sftp.status(id, STATUS_CODE.FAILURE, "Failure");
    await fsp.rename(a, b).then(() => {
      node.record.add("sftp", `rename ${resolveRemotePath(node.homeDir, from).remote} -> ${resolveRemotePath(node.homeDir, to).remote}`);
      ok(id);
    }, (e: unknown) => fail(id, e));
  });

  sftp.on("READLINK", (id) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, "Operation unsupported"));
  sftp.on("SYMLINK", (id) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, "Operation unsupported"));

  // scp and sftp clients read the exit status of the subsystem channel (toolchain.md).
  sftp.on("end", () => {
    sendExitStatus(sftp, 0);
    sftp.end();
  });
  sftp.on("close", () => {
    for (const h of handles.drain()) {
      if (h.kind !== "file") continue;
      void h.fd.close().catch(() => undefined);
      uploaded(h, "upload interrupted:");
    }
  });
}

/** ssh2 gives SFTP streams no exit(); the protocol object under them has it. */
function sendExitStatus(sftp: SFTPWrapper, code: number): void {
  const raw = sftp as unknown as { _protocol?: { exitStatus(id: number, code: number): void }; outgoing?: { id: number; state: string } };
  if (raw._protocol && raw.outgoing && raw.outgoing.state === "open") raw._protocol.exitStatus(raw.outgoing.id, code);
}
