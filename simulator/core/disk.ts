// The simulated root filesystem. Free space is the configured free space minus what sits in
// ksadmin's home (real bytes on the host disk), so an uploaded archive consumes it exactly.
import fs from "node:fs/promises";
import path from "node:path";

export interface DiskSnapshot {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
}

export class Disk {
  private homeUsed = 0;
  /** Set by the diskFillsDuringUpload fault: something else filled the disk. */
  filled = false;

  constructor(
    private readonly homeDir: string,
    private readonly totalBytes: () => number,
    private readonly baseFreeBytes: () => number,
  ) {}

  /** Recounts the home folder; used at boot and after bulk changes. */
  async rescan(): Promise<void> {
    this.homeUsed = await sizeOfTree(this.homeDir);
  }

  freeBytes(): number {
    if (this.filled) return 0;
    return Math.max(0, Math.min(this.totalBytes(), this.baseFreeBytes() - this.homeUsed));
  }

  snapshot(): DiskSnapshot {
    const total = this.totalBytes();
    const free = this.freeBytes();
    return { totalBytes: total, usedBytes: total - free, freeBytes: free };
  }

  /** Claims room for a file growing by `bytes`; false when it does not fit. */
  tryGrow(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (bytes > this.freeBytes()) return false;
    this.homeUsed += bytes;
    return true;
  }

  /** Gives back room (a removed or truncated file, or a write that failed). */
  shrink(bytes: number): void {
    this.homeUsed = Math.max(0, this.homeUsed - bytes);
  }
}

async function sizeOfTree(dir: string): Promise<number> {
  let total = 0;
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOfTree(p);
    else if (entry.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}
