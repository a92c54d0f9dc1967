// A JSON document on disk, checked by a zod schema on load and replaced atomically on save,
// so a simulator killed mid-write still finds a whole file on its next start.
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";

export class JsonFile<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
  ) {}

  /** The stored value, or null when absent or unreadable (the caller then starts fresh). */
  load(): z.output<S> | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return null;
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(value: z.output<S>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2));
    fs.renameSync(tmp, this.file);
  }
}
