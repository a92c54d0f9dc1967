// Open SFTP handles of one session: files being read or written, and directory listings.
import type { FileHandle as FsHandle } from "node:fs/promises";
import type { FileEntry } from "ssh2";

export interface FileHandle {
  kind: "file";
  fd: FsHandle;
  remote: string;
  local: string;
  /** Size as far as accepted writes go; kept here so concurrent writes are charged once. */
  size: number;
  writable: boolean;
  append: boolean;
  bytesReceived: number;
}

export interface DirHandle {
  kind: "dir";
  entries: FileEntry[];
}

type Handle = FileHandle | DirHandle;

export class HandleTable {
  private next = 1;
  private readonly open = new Map<number, Handle>();

  addFile(h: Omit<FileHandle, "kind">): Buffer {
    return this.add({ kind: "file", ...h });
  }

  addDir(entries: FileEntry[]): Buffer {
    return this.add({ kind: "dir", entries });
  }

  file(buf: Buffer): FileHandle | null {
    const h = this.get(buf);
    return h?.kind === "file" ? h : null;
  }

  dir(buf: Buffer): DirHandle | null {
    const h = this.get(buf);
    return h?.kind === "dir" ? h : null;
  }

  take(buf: Buffer): Handle | null {
    const h = this.get(buf);
    if (h) this.open.delete(buf.readUInt32BE(0));
    return h;
  }

  /** Every handle still open, removed from the table (the session ended). */
  drain(): Handle[] {
    const all = [...this.open.values()];
    this.open.clear();
    return all;
  }

  private add(h: Handle): Buffer {
    const id = this.next++;
    this.open.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id, 0);
    return buf;
  }

  private get(buf: Buffer): Handle | null {
    if (buf.length !== 4) return null;
    return this.open.get(buf.readUInt32BE(0)) ?? null;
  }
}
