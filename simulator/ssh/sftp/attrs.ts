// fs.Stats to SFTP attributes and `ls -l`-style long names, as ksadmin would see them.
import type { Stats } from "node:fs";
import type { Attributes } from "ssh2";
import { lsDate } from "../commands/ls";

const UID = 1000;

export function attrsOf(st: Stats): Attributes {
  const type = st.isDirectory() ? 0o040000 : 0o100000;
  const perms = st.isDirectory() ? 0o755 : 0o644;
  return {
    mode: type | perms,
    uid: UID,
    gid: UID,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

export function longnameOf(name: string, st: Stats): string {
  const perms = st.isDirectory() ? "drwxr-xr-x" : "-rw-r--r--";
  return `${perms}    ${st.isDirectory() ? 2 : 1} ksadmin  ksadmin  ${String(st.size).padStart(8)} ${lsDate(st.mtime)} ${name}`;
}

/** An errno from fs, as the SFTP status code OpenSSH's sftp-server would send. */
export function statusOfErrno(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case "ENOENT": return { status: 2, message: "No such file" };
    case "EACCES": case "EPERM": return { status: 3, message: "Permission denied" };
    case "ENOSPC": return { status: 4, message: "No space left on device" };
    case "EEXIST": return { status: 4, message: "File exists" };
    case "ENOTDIR": return { status: 4, message: "Not a directory" };
    case "EISDIR": return { status: 4, message: "Is a directory" };
    case "ENOTEMPTY": return { status: 4, message: "Directory not empty" };
    default: return { status: 4, message: "Failure" };
  }
}
