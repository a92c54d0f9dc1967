// An authenticated SSH session to one appliance: commands, SFTP upload, stat and remove.
// Every operation is bounded (timeout or signal) and fails with an AppError a worker can act on.
import type { Client, SFTPWrapper } from "ssh2";
import { AppError } from "@/lib/errors";
import type { ApplianceCredentials, ApplianceEndpoint, ApplianceTrust } from "./types";
import { connectSsh, sshWhere } from "./ssh-connect";
import { sshErrorToAppError } from "./connect-errors";
import { execOnClient, type ExecOptions, type ExecResult } from "./ssh-exec";
import { uploadOverSftp, type UploadOptions, type UploadResult } from "./sftp-upload";
import { sftpRemove, sftpStat, type RemoteStat } from "./sftp-ops";

export type { ExecOptions, ExecResult, UploadOptions, UploadResult, RemoteStat };

export interface SshSession {
  readonly endpoint: ApplianceEndpoint;
  /** True once the connection is gone (closed by us, the appliance, or the network). */
  readonly closed: boolean;
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  upload(localPath: string, remotePath: string, opts?: UploadOptions): Promise<UploadResult>;
  /** null when the path does not exist. */
  stat(remotePath: string): Promise<RemoteStat | null>;
  /** false when there was nothing to remove. */
  remove(remotePath: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenSshSessionOptions {
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export async function openSshSession(
  endpoint: ApplianceEndpoint,
  credentials: ApplianceCredentials,
  trust: ApplianceTrust,
  opts: OpenSshSessionOptions = {},
): Promise<SshSession> {
  const client = await connectSsh(endpoint, credentials, trust, opts);
  return new ClientSession(endpoint, client);
}

class ClientSession implements SshSession {
  closed = false;
  private sftp: Promise<SFTPWrapper> | undefined;
  private readonly where: string;
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly endpoint: ApplianceEndpoint,
    private readonly client: Client,
  ) {
    this.where = sshWhere(endpoint);
    this.closedPromise = new Promise((resolve) => {
      const onGone = () => {
        this.closed = true;
        resolve();
      };
      client.once("end", onGone);
      client.once("close", onGone);
    });
  }

  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    if (this.closed) return Promise.reject(this.goneError());
    return execOnClient(this.client, argv, this.where, () => this.closed, opts);
  }

  async upload(localPath: string, remotePath: string, opts?: UploadOptions): Promise<UploadResult> {
    return uploadOverSftp(await this.openSftp(), localPath, remotePath, this.where, opts);
  }

  async stat(remotePath: string): Promise<RemoteStat | null> {
    return sftpStat(await this.openSftp(), remotePath, this.where);
  }

  async remove(remotePath: string): Promise<boolean> {
    return sftpRemove(await this.openSftp(), remotePath, this.where);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.client.end();
    // A peer that never answers our close must not hang the caller.
    const timer = setTimeout(() => this.client.destroy(), 2_000);
    await this.closedPromise;
    clearTimeout(timer);
  }

  private goneError(): AppError {
    return new AppError("appliance-unreachable", `${this.where}: the SSH connection is closed`);
  }

  /** One SFTP channel per session, opened on first use and reopened if the server closed it. */
  private openSftp(): Promise<SFTPWrapper> {
    if (this.closed) return Promise.reject(this.goneError());
    if (!this.sftp) {
      const opening = new Promise<SFTPWrapper>((resolve, reject) => {
        try {
          this.client.sftp((err, sftp) => {
            if (err) return reject(sshErrorToAppError(err, `${this.where} (sftp)`));
            sftp.once("close", () => {
              if (this.sftp === opening) this.sftp = undefined;
            });
            resolve(sftp);
          });
        } catch (err) {
          reject(sshErrorToAppError(err, `${this.where} (sftp)`));
        }
      });
      opening.catch(() => {
        if (this.sftp === opening) this.sftp = undefined;
      });
      this.sftp = opening;
    }
    return this.sftp;
  }
}
