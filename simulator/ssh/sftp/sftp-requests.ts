// One handler per SFTP request, over ksadmin's home folder: files stream to and from disk a
// request at a time (never whole in memory), and growth is charged to the simulated disk.
import fs from "node:fs";
import fsp from "node:fs/promises";
import ssh2, { type Attributes, type SFTPWrapper } from "ssh2";
import type { ApplianceNode } from "../../core/appliance-node";
import { resolveRemotePath } from "../remote-path";
import { attrsOf, longnameOf, statusOfErrno } from "./attrs";
import type { HandleTable } from "./handles";
import { fsFlagsFromSftp, isAppendMode, isWriteMode } from "./open-flags";
import { handleWrite, type ConnectionLink } from "./sftp-write";

const { STATUS_CODE } = ssh2.utils.sftp;
const MAX_READ = 256 * 1024;

export function sftpRequestHandlers(node: ApplianceNode, sftp: SFTPWrapper, link: ConnectionLink, handles: HandleTable) {
  const ok = (id: number) => sftp.status(id, STATUS_CODE.OK);
  const fail = (id: number, e: unknown) => {
    const s = statusOfErrno((e as NodeJS.ErrnoException).code);
    sftp.status(id, s.status, s.message);
  };
  const badHandle = (id: number) => sftp.status(id, STATUS_CODE.FAILURE, "Invalid handle");
  /** The host path of a request's path, or a permission error sent and null. */
  const local = (id: number, p: string): string | null => {
    const r = resolveRemotePath(node.homeDir, p);
    if (r.ok) return r.local;
    sftp.status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
    return null;
  };
  const remote = (p: string) => resolveRemotePath(node.homeDir, p).remote;
  const run = async (id: number, action: () => Promise<void>) => {
    try {
      await action();
    } catch (e) {
      fail(id, e);
    }
  };
  const statPath = (id: number, p: string) => {
    const l = local(id, p);
    return l ? run(id, async () => sftp.attrs(id, attrsOf(await fsp.stat(l)))) : undefined;
  };
  const setSize = (id: number, l: string, size: number | undefined) =>
    run(id, async () => {
      if (size === undefined) return ok(id);
      const before = (await fsp.stat(l)).size;
      if (size > before && !node.disk.tryGrow(size - before)) return sftp.status(id, STATUS_CODE.FAILURE, "No space left on device");
      await fsp.truncate(l, size);
      if (size < before) node.disk.shrink(before - size);
      ok(id);
    });

  return {
    OPEN: (id: number, filename: string, pflags: number) => {
      const r = resolveRemotePath(node.homeDir, filename);
      if (!r.ok) return sftp.status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
      return run(id, async () => {
        const before = fs.statSync(r.local, { throwIfNoEntry: false });
        const fd = await fsp.open(r.local, fsFlagsFromSftp(pflags), 0o644);
        const size = (await fd.stat()).size;
        if (before && before.size > size) node.disk.shrink(before.size - size);
        const writable = isWriteMode(pflags);
        // What sftp-server logs at an OPEN for writing: the path, and the size it starts from.
        if (writable) node.record.add("sftp", `upload started: ${r.remote} (size ${size})`);
        sftp.handle(id, handles.addFile({ fd, remote: r.remote, local: r.local, size, writable, append: isAppendMode(pflags), bytesReceived: 0 }));
      });
    },
    WRITE: (id: number, handle: Buffer, offset: number, data: Buffer) => {
      const h = handles.file(handle);
      return h ? handleWrite(node, sftp, link, h, id, offset, data) : badHandle(id);
    },
    READ: (id: number, handle: Buffer, offset: number, length: number) => {
      const h = handles.file(handle);
      if (!h) return badHandle(id);
      return run(id, async () => {
        const buf = Buffer.alloc(Math.min(length, MAX_READ));
        const { bytesRead } = await h.fd.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) sftp.status(id, STATUS_CODE.EOF);
        else sftp.data(id, buf.subarray(0, bytesRead));
      });
    },
    FSTAT: (id: number, handle: Buffer) => {
      const h = handles.file(handle);
      return h ? run(id, async () => sftp.attrs(id, attrsOf(await h.fd.stat()))) : badHandle(id);
    },
    STAT: statPath,
    LSTAT: statPath,
    SETSTAT: (id: number, p: string, attrs: Attributes) => {
      const l = local(id, p);
      return l ? setSize(id, l, attrs.size) : undefined;
    },
    // OpenSSH's scp writes in place and then truncates to what it sent.
    FSETSTAT: (id: number, handle: Buffer, attrs: Attributes) => {
      const h = handles.file(handle);
      if (!h) return badHandle(id);
      if (attrs.size !== undefined) h.size = attrs.size;
      return setSize(id, h.local, attrs.size);
    },
    CLOSE: async (id: number, handle: Buffer) => {
      const h = handles.take(handle);
      if (!h) return badHandle(id);
      if (h.kind === "file") {
        await h.fd.close().catch(() => undefined);
        if (h.writable) node.record.add("sftp", `upload ${h.remote} (${h.bytesReceived} bytes received, size ${h.size})`);
        node.changed();
      }
      ok(id);
    },
    REALPATH: (id: number, p: string) => {
      const r = remote(p);
      sftp.name(id, [{ filename: r, longname: r, attrs: {} as Attributes }]);
    },
    OPENDIR: (id: number, p: string) => {
      const l = local(id, p);
      if (!l) return;
      return run(id, async () => {
        const names = [".", "..", ...(await fsp.readdir(l))];
        const entries = await Promise.all(
          names.map(async (n) => {
            const st = await fsp.stat(n === ".." ? node.homeDir : `${l}/${n}`);
            return { filename: n, longname: longnameOf(n, st), attrs: attrsOf(st) };
          }),
        );
        sftp.handle(id, handles.addDir(entries));
      });
    },
    READDIR: (id: number, handle: Buffer) => {
      const d = handles.dir(handle);
      if (!d) return badHandle(id);
      const batch = d.entries.splice(0, 100);
      if (batch.length === 0) sftp.status(id, STATUS_CODE.EOF);
      else sftp.name(id, batch);
    },
    REMOVE: (id: number, p: string) => {
      const l = local(id, p);
      if (!l) return;
      return run(id, async () => {
        const st = await fsp.stat(l);
        await fsp.unlink(l);
        node.disk.shrink(st.size);
        node.record.add("sftp", `remove ${remote(p)}`);
        node.changed();
        ok(id);
      });
    },
    RMDIR: (id: number, p: string) => {
      const l = local(id, p);
      if (!l) return;
      return run(id, async () => {
        await fsp.rmdir(l);
        ok(id);
      });
    },
    MKDIR: (id: number, p: string) => {
      const l = local(id, p);
      if (!l) return;
      return run(id, async () => {
        await fsp.mkdir(l);
        ok(id);
      });
    },
    RENAME: (id: number, from: string, to: string) => {
      const a = local(id, from);
      const b = a && local(id, to);
      if (!a || !b) return;
      // SFTP v3 rename does not replace an existing target (OpenSSH's sftp-server links, then unlinks).
      if (fs.existsSync(b)) return sftp.status(id, STATUS_CODE.FAILURE, "Failure");
      return run(id, async () => {
        await fsp.rename(a, b);
        node.record.add("sftp", `rename ${remote(from)} -> ${remote(to)}`);
        ok(id);
      });
    },
    READLINK: (id: number) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, "Operation unsupported"),
    SYMLINK: (id: number) => sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, "Operation unsupported"),
  };
}
