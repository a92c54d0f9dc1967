import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GIB, gib } from "./bytes";
import { checkDiskSpace, describeDiskNeed, parseDfOutput, requiredFreeBytes, U7_MIN_FREE_BYTES, type DfReading } from "./disk";
import { DEFAULT_RELEASE_CATALOG as CATALOG, findRelease, type ReleaseEntry } from "./release-catalog";
import { v } from "./test-helpers";

const B1 = `Filesystem      1B-blocks        Used    Available Capacity Mounted on
/dev/sda2    105089261568 20040040448  79659253760      21% /`;
const P = `Filesystem     1024-blocks     Used Available Capacity Mounted on
/dev/sda2        102626232 19570352  77792240      21% /`;
const H = `Filesystem      Size  Used Avail Use% Mounted on
/dev/sda2        98G   19G   75G  21% /`;
const WRAPPED = `Filesystem            Size  Used Avail Use% Mounted on
/dev/mapper/ubuntu--vg-ubuntu--lv
                       98G   19G  9.5G  67% /`;

describe("parseDfOutput", () => {
  const ok: [string, string, number, number, "exact" | "rounded"][] = [
    ["df -P -B1 /", B1, 79659253760, 105089261568, "exact"],
    ["df -P / (1K blocks)", P, 77792240 * 1024, 102626232 * 1024, "exact"],
    ["df -k / (1K-blocks header)", P.replace("1024-blocks", "1K-blocks"), 77792240 * 1024, 102626232 * 1024, "exact"],
    ["df -h /", H, 75 * GIB, 98 * GIB, "rounded"],
    ["df -h / with a wrapped device name and a decimal", WRAPPED, 9.5 * GIB, 98 * GIB, "rounded"],
    ["df -h / with M and T", "Filesystem Size Used Avail Use% Mounted on\n/dev/sda2 1.5T 1.0T 512M 99% /", 512 * 1024 ** 2, 1.5 * 1024 ** 4, "rounded"],
    ["a banner and CRLF line ends before the header", `Welcome to CM\r\n${H.replace("\n", "\r\n")}\r\n`, 75 * GIB, 98 * GIB, "rounded"],
    ["several filesystems, '/' among them", `${H}\n/dev/sdb1 10G 1G 9G 10% /data`, 75 * GIB, 98 * GIB, "rounded"],
  ];
  it.each(ok)("[U7] reads %s", (_name, text, available, size, precision) => {
    const result = parseDfOutput(text);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.reading).toMatchObject({ availableBytes: available, sizeBytes: size, mount: "/", precision });
    expect(result.reading.line).toContain("/dev/");
  });

  it("[U7] records how far df -h's rounding may overstate free space", () => {
    const h = parseDfOutput(H);
    const w = parseDfOutput(WRAPPED);
    expect(h.ok && h.reading.uncertaintyBytes).toBe(GIB);
    expect(w.ok && w.reading.uncertaintyBytes).toBe(Math.ceil(GIB / 10));
  });

  const bad: [string, string, string][] = [
    ["empty", "", "empty"],
    ["whitespace", "  \n \n", "empty"],
    ["a shell error", "sh: df: command not found", "no-header"],
    ["df -i (inodes)", "Filesystem Inodes IUsed IFree IUse% Mounted on\n/dev/sda2 6553600 300000 6253600 5% /", "unknown-units"],
    ["header only (cut short)", "Filesystem 1B-blocks Used Available Capacity Mounted on\n", "no-data"],
    ["a truncated line", "Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 105089261568 2004", "truncated"],
    ["another mount only", "Filesystem Size Used Avail Use% Mounted on\n/dev/sdb1 10G 1G 9G 10% /data", "not-root"],
    ["words where numbers go", "Filesystem Size Used Avail Use% Mounted on\n/dev/sda2 98G 19G lots 21% /", "bad-number"],
    ["negative numbers", "Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 100 50 -5 50% /", "bad-number"],
    ["columns shifted", "Filesystem 1B-blocks Used Available Capacity Mounted on\n/dev/sda2 100 50 50 / 50%", "not-root"],
    ["absurdly large", "Filesystem 1K-blocks Used Available Capacity Mounted on\n/dev/sda2 99999999999999999 1 99999999999999999 1% /", "bad-number"],
  ];
  it.each(bad)("[U7] returns an error value for %s", (_name, text, code) => {
    const result = parseDfOutput(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it("never throws, whatever the appliance prints", () => {
    const header = fc.constantFrom("Filesystem Size Used Avail Use% Mounted on", "Filesystem 1B-blocks Used Available Capacity Mounted on", "");
    fc.assert(
      fc.property(header, fc.array(fc.string(), { maxLength: 6 }), (h, lines) => {
        const result = parseDfOutput([h, ...lines].join("\n"));
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});

const reading = (available: number, uncertainty = 0): DfReading => ({
  filesystem: "/dev/sda2", mount: "/", sizeBytes: gib(100), usedBytes: gib(100) - available, availableBytes: available,
  precision: uncertainty ? "rounded" : "exact", uncertaintyBytes: uncertainty, line: "test",
});
const entry = (line: string): ReleaseEntry => {
  const found = findRelease(CATALOG, line);
  if (!found) throw new Error(line);
  return found;
};
const ARCHIVE = gib(5.1);

describe("requiredFreeBytes", () => {
  const cases: [string, ReleaseEntry, string | undefined, number][] = [
    ["[U7] 2.11 needs the 12 GB floor", entry("2.11"), "2.10.0", U7_MIN_FREE_BYTES],
    ["[U7] 2.14 from 2.13 needs 35 GB for its database change", entry("2.14"), "2.13.0", gib(35)],
    ["[U7] a 2.14 patch upgrade within 2.14 does not", entry("2.14"), "2.14.0", U7_MIN_FREE_BYTES],
    ["[U7] 2.16 from 2.15 needs 35 GB", entry("2.16"), "2.15.0", gib(35)],
    ["[U7] 2.17 from 2.16.1 needs 5x the archive", entry("2.17"), "2.16.1", Math.ceil(5 * ARCHIVE)],
    ["[U7] 2.18 from 2.15.0 still crosses the 2.16 database change", entry("2.18"), "2.15.0", gib(35)],
    ["[U7] 2.19 needs 5x the archive", entry("2.19"), "2.18.0", Math.ceil(5 * ARCHIVE)],
    ["[U7] unknown start: assume the database change applies", entry("2.16"), undefined, gib(35)],
    ["[U7] a fixed-plus rule adds both", { ...entry("2.20"), diskRule: { kind: "fixed-plus", bytes: gib(10), archiveFactor: 2 } }, "2.19.0", gib(10) + Math.ceil(2 * ARCHIVE)],
    ["[U7] a release rule below 12 GB is lifted to the floor", { ...entry("2.20"), diskRule: { kind: "fixed", bytes: gib(1) } }, "2.19.0", U7_MIN_FREE_BYTES],
  ];
  it.each(cases)("%s", (_name, e, from, bytes) => {
    expect(requiredFreeBytes(e, ARCHIVE, from ? v(from) : undefined)).toBe(bytes);
    expect(describeDiskNeed(e, ARCHIVE, from ? v(from) : undefined).basis.length).toBeGreaterThan(5);
  });
});

describe("checkDiskSpace", () => {
  const need = { bytes: U7_MIN_FREE_BYTES, basis: "the 12.0 GiB minimum [U7]" };
  const cases: [string, number, boolean, number, string][] = [
    ["[U7] refuses when less than 12 GB is free not counting the archive (already uploaded)", gib(11.9), true, 0, "insufficient"],
    ["[U7] passes with 12 GB free besides an uploaded archive", gib(12.5), true, 0, "ok"],
    ["[U7] before upload, free space must cover 12 GB plus the archive", gib(16), false, 0, "insufficient"],
    ["[U7] before upload, 12 GB plus the archive is enough", gib(17.2), false, 0, "ok"],
    ["[U7] df -h rounding that could hide a shortfall is not a pass", gib(17.5), false, GIB, "uncertain"],
  ];
  it.each(cases)("%s", (_name, available, uploaded, uncertainty, outcome) => {
    const result = checkDiskSpace({ reading: reading(available, uncertainty), need, archiveSizeBytes: ARCHIVE, archiveOnAppliance: uploaded });
    expect(result.ok ? "ok" : result.code).toBe(outcome);
    expect(result.needBytes).toBe(uploaded ? need.bytes : need.bytes + ARCHIVE);
    if (!result.ok) {
      expect(result.shortByBytes).toBeGreaterThan(0);
      expect(result.remedy.length).toBeGreaterThan(10);
    }
  });

  it("[U7] says both figures in its sentence", () => {
    const result = checkDiskSpace({ reading: reading(gib(16)), need, archiveSizeBytes: ARCHIVE, archiveOnAppliance: false });
    expect(result.message).toMatch(/12\.0 GiB .*plus 5\.1 GiB for the archive.*16\.0 GiB available/);
  });
});
