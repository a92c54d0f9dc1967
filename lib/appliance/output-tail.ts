// Command output can be endless (an upgrade prints for many minutes); keep only the tail in memory,
// and hand complete lines to whoever watches, whatever the chunk boundaries were.

export class OutputTail {
  private chunks: string[] = [];
  private length = 0;
  truncated = false;

  constructor(private readonly maxChars: number) {}

  push(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.length += text.length;
    while (this.length - (this.chunks[0]?.length ?? 0) >= this.maxChars && this.chunks.length > 1) {
      this.length -= this.chunks.shift()!.length;
      this.truncated = true;
    }
  }

  toString(): string {
    const all = this.chunks.join("");
    if (all.length <= this.maxChars) return all;
    this.truncated = true;
    return all.slice(all.length - this.maxChars);
  }
}

/** Splits a stream of text into lines on `\n`, `\r\n` or a bare `\r` (progress lines). */
export class LineSplitter {
  private rest = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    const parts = (this.rest + text).split(/\r\n|\n|\r(?!$)/);
    this.rest = parts.pop() ?? "";
    for (const line of parts) this.onLine(line);
  }

  flush(): void {
    const rest = this.rest.replace(/\r$/, "");
    this.rest = "";
    if (rest) this.onLine(rest);
  }
}

export function lastLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n|\r/);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines.slice(-count);
}
