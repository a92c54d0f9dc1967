// SFTP OPEN_MODE bits to fs open flags (toolchain.md: build them from the bits, never guess).
import { constants } from "node:fs";
import ssh2 from "ssh2";

const { OPEN_MODE } = ssh2.utils.sftp;

export function fsFlagsFromSftp(pflags: number): number {
  const read = (pflags & OPEN_MODE.READ) !== 0;
  const write = (pflags & OPEN_MODE.WRITE) !== 0;
  let flags = read && write ? constants.O_RDWR : write ? constants.O_WRONLY : constants.O_RDONLY;
  if (pflags & OPEN_MODE.APPEND) flags |= constants.O_APPEND;
  if (pflags & OPEN_MODE.CREAT) flags |= constants.O_CREAT;
  if (pflags & OPEN_MODE.TRUNC) flags |= constants.O_TRUNC;
  if (pflags & OPEN_MODE.EXCL) flags |= constants.O_EXCL;
  return flags;
}

export function isWriteMode(pflags: number): boolean {
  return (pflags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND)) !== 0;
}

export function isAppendMode(pflags: number): boolean {
  return (pflags & OPEN_MODE.APPEND) !== 0;
}
