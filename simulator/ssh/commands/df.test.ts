import { describe, expect, it } from "vitest";
import { formatDf, humanCeil } from "./df";

const GiB = 1024 ** 3;
const disk = { totalBytes: 200 * GiB, usedBytes: 80 * GiB + 123_456, freeBytes: 120 * GiB - 123_456 };

describe("df output", () => {
  it("prints -h like coreutils: rounded up, widths at least the header's", () => {
    expect(formatDf(disk, { human: true, posix: false, blockSize: 1024 })).toBe(
      "Filesystem      Size  Used Avail Use% Mounted on\n/dev/sda2       200G   81G  120G  41% /\n",
    );
  });

  it("prints -P -B1 with exact bytes and a Capacity column", () => {
    expect(formatDf(disk, { human: false, posix: true, blockSize: 1 })).toBe(
      "Filesystem         1-blocks        Used    Available Capacity Mounted on\n" +
        `/dev/sda2      ${200 * GiB} ${80 * GiB + 123_456} ${120 * GiB - 123_456}      41% /\n`,
    );
  });

  it("prints -P in 1024-blocks", () => {
    const out = formatDf({ totalBytes: 10 * 1024, usedBytes: 4 * 1024, freeBytes: 6 * 1024 }, { human: false, posix: true, blockSize: 1024 });
    expect(out).toBe("Filesystem     1024-blocks  Used Available Capacity Mounted on\n/dev/sda2               10     4         6      40% /\n");
  });

  it("shows a full disk as 0 and 100%", () => {
    const out = formatDf({ totalBytes: 50 * GiB, usedBytes: 50 * GiB, freeBytes: 0 }, { human: true, posix: false, blockSize: 1024 });
    expect(out.split("\n")[1]).toBe("/dev/sda2        50G   50G     0 100% /");
  });

  it.each([
    [0, "0"],
    [1023, "1023"],
    [1024, "1.0K"],
    [1025, "1.1K"],
    [9.95 * GiB, "10G"],
    [9.5 * GiB, "9.5G"],
    [12 * GiB, "12G"],
    [12 * GiB + 1, "13G"],
    [1023.5 * 1024 * 1024, "1.0G"],
  ])("humanCeil(%d) = %s", (bytes, text) => {
    expect(humanCeil(bytes)).toBe(text);
  });
});
