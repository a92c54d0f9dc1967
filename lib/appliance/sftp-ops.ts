// Small SFTP operations over ssh2's callback API, with SFTP status codes turned into AppError codes.
import type { SFTPWrapper } from "ssh2";
import { AppError } from "@/lib/errors";
import { sshErrorToAppError } from "./connect-errors";

export interface RemoteStat {
  size: number;
  mode: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
}

// SFTP v3 status codes (draft-ietf-secsh-filexfer-02 §7).
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

function statusCode(err: unknown): unknown {
  return typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
}

export function sftpErrorToAppError(err: unknown, where: string, path: string): AppError {
  if (err instanceof AppError) return err;
  const code = statusCode(err);
  const msg = (err as Error)?.message ?? String(err);
  if (code === PERMISSION_DENIED) return new AppError("appliance-refused", `${where}: permission denied on ${path}`);
  if (code === NO_SUCH_FILE) return new AppError("appliance-refused", `${where}: no such file ${path}`);
  if (typeof code === "number") return new AppError("appliance-error", `${where}: SFTP failed on ${path}: ${msg}`);
  return sshErrorToAppError(err, `${where} (${path})`);
}

export function sftpStat(sftp: SFTPWrapper, path: string, where: string): Promise<RemoteStat | null> {
  return new Promise((resolve, reject) => {
    sftp.stat(path, (err, st) => {
      if (err) return statusCode(err) === NO_SUCH_FILE ? resolve(null) : reject(sftpErrorToAppError(err, where, path));
      resolve({
        size: st.size,
        mode: st.mode,
        mtimeMs: st.mtime * 1000,
        isFile: st.isFile(),
        isDirectory: st.isDirectory(),
      });
    });
  });
}

/** Returns false when there was nothing to remove, so callers can retry a cleanup safely. */
export function sftpRemove(sftp: SFTPWrapper, path: string, where: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    sftp.unlink(path, (err) => {
      if (err) return statusCode(err) === NO_SUCH_FILE ? resolve(false) : reject(sftpErrorToAppError(err, where, path));
      resolve(true);
    });
  });
}
