// One SFTP WRITE: charged to the simulated disk first, then written at its offset (so a client
// can resume an interrupted upload). The disk-full and dropped-connection faults strike here.
import ssh2, { type SFTPWrapper } from "ssh2";
import type { ApplianceNode } from "../../core/appliance-node";
import type { FileHandle } from "./handles";

const { STATUS_CODE } = ssh2.utils.sftp;
const DEFAULT_FILL_AFTER = 64 * 1024;

/** The SSH connection under an SFTP session: bytes it carried, and how to cut it. */
export interface ConnectionLink {
  sftpBytes: number;
  /** Set once the TCP connection is gone: requests still queued die with it. */
  closed: boolean;
  drop(): void;
}

export async function handleWrite(
  node: ApplianceNode,
  sftp: SFTPWrapper,
  link: ConnectionLink,
  h: FileHandle,
  id: number,
  offset: number,
  data: Buffer,
): Promise<void> {
  if (link.closed) return;
  if (!h.writable) return void sftp.status(id, STATUS_CODE.PERMISSION_DENIED, "Permission denied");
  let chunk = data;
  const dropAt = node.faults.dropSshAfterBytes;
  const dropping = dropAt !== null && link.sftpBytes + data.length >= dropAt;
  if (dropping) {
    // Keep what "arrived" before the cut, as a real network drop would.
    chunk = data.subarray(0, Math.max(0, dropAt - link.sftpBytes));
    node.applyFaults({ dropSshAfterBytes: null });
  }
  link.sftpBytes += chunk.length;

  const fill = node.faults.diskFillsDuringUpload;
  if (fill !== false && h.bytesReceived >= (fill === true ? DEFAULT_FILL_AFTER : fill)) node.disk.filled = true;

  const start = h.append ? h.size : offset;
  const growth = Math.max(0, start + chunk.length - h.size);
  if (!node.disk.tryGrow(growth)) {
    if (!dropping) sftp.status(id, STATUS_CODE.FAILURE, "No space left on device");
    else link.drop();
    return;
  }
  h.size = Math.max(h.size, start + chunk.length);
  h.bytesReceived += chunk.length;
  try {
    if (chunk.length > 0) await h.fd.write(chunk, 0, chunk.length, h.append ? null : offset);
    if (dropping) return link.drop();
    sftp.status(id, STATUS_CODE.OK);
  } catch (e) {
    node.disk.shrink(growth);
    if (dropping) return link.drop();
    const nospace = (e as NodeJS.ErrnoException).code === "ENOSPC";
    sftp.status(id, STATUS_CODE.FAILURE, nospace ? "No space left on device" : "Failure");
  }
}
