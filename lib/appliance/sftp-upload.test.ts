// Write sizing of the SFTP upload: each WRITE, header included, fills whole SSH channel packets.
import { describe, expect, it } from "vitest";
import { writeSizeFor } from "./sftp-upload";

// OpenSSH's sftp-server: 4-byte handles; ssh2 sends WRITEs of up to 256 KiB - 2 KiB to it whole.
const HANDLE = 4;
const HEADER = 4 + 1 + 4 + 4 + HANDLE + 8 + 4;
const OPENSSH_MAX_WRITE = 256 * 1024 - 2048;

describe("writeSizeFor", () => {
  it("makes a WRITE exactly four 32 KiB channel packets by default", () => {
    const size = writeSizeFor(32 * 1024, OPENSSH_MAX_WRITE, HANDLE);
    expect(size + HEADER).toBe(4 * 32 * 1024);
  });

  it("makes it exactly one packet when asked for one (rate-limited uploads)", () => {
    expect(writeSizeFor(32 * 1024, OPENSSH_MAX_WRITE, HANDLE, 1) + HEADER).toBe(32 * 1024);
  });

  it("uses fewer packets rather than exceed what ssh2 sends as one request", () => {
    expect(writeSizeFor(32 * 1024, 100_000, HANDLE) + HEADER).toBe(3 * 32 * 1024);
  });

  it("falls back to the request limit when not even one packet fits under it", () => {
    // ssh2's limit for a server it does not take for OpenSSH is below one 32 KiB packet.
    expect(writeSizeFor(32 * 1024, 31_952, HANDLE)).toBe(31_952);
  });

  it("follows the channel's packet size and the handle's length", () => {
    expect(writeSizeFor(16 * 1024, OPENSSH_MAX_WRITE, 16) + 4 + 1 + 4 + 4 + 16 + 8 + 4).toBe(4 * 16 * 1024);
  });
});
