import { randomBytes } from "node:crypto";
import * as openpgp from "openpgp";
import { describe, expect, it } from "vitest";
import { openPgpInput } from "@/lib/archives/openpgp/armor";

async function* chunked(text: string, size: number) {
  const bytes = Buffer.from(text, "latin1");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decode(text: string, size: number) {
  const input = await openPgpInput(chunked(text, size));
  const parts: Buffer[] = [];
  for await (const part of input.data) parts.push(part);
  return { armor: input.armor, bytes: Buffer.concat(parts) };
}

const binary = randomBytes(5000);
const armored = openpgp.armor(openpgp.enums.armor.message, binary);

describe("openPgpInput", () => {
  it.each([1, 2, 3, 7, 61, 64, 65, 4096, 1 << 20])("decodes armor split into chunks of %i bytes", async (size) => {
    const { armor, bytes } = await decode(armored, size);
    expect(armor).toBe("MESSAGE");
    expect(bytes.equals(binary)).toBe(true);
  });

  it("decodes CRLF line ends, headers, no CRC line and no final newline", async () => {
    const body = Buffer.from(binary).toString("base64").replace(/(.{64})/g, "$1\r\n");
    const text = `-----BEGIN PGP MESSAGE-----\r\nComment: made by hand\r\n\r\n${body}\r\n-----END PGP MESSAGE-----`;
    for (const size of [5, 100, 1 << 16]) expect((await decode(text, size)).bytes.equals(binary)).toBe(true);
  });

  it("decodes base64 written as one very long line", async () => {
    const big = randomBytes(300_000);
    const text = `-----BEGIN PGP MESSAGE-----\n\n${big.toString("base64")}\n-----END PGP MESSAGE-----\n`;
    expect((await decode(text, 4096)).bytes.equals(big)).toBe(true);
  });

  it("skips characters outside base64, as gpg does", async () => {
    const noisy = armored.replace(/\n([A-Za-z0-9+/]{10})/, "\n$1*").replace(/\n([A-Za-z0-9+/]{3})/g, "\n$1 ");
    for (const size of [7, 1 << 20]) expect((await decode(noisy, size)).bytes.equals(binary)).toBe(true);
  });

  it("passes binary input through untouched", async () => {
    const input = await openPgpInput(chunked(binary.toString("latin1"), 1000));
    const parts: Buffer[] = [];
    for await (const part of input.data) parts.push(part);
    expect(input.armor).toBeNull();
    expect(Buffer.concat(parts).equals(binary)).toBe(true);
  });

  it.each([
    ["no END line", armored.replace(/-----END PGP MESSAGE-----\n$/, ""), /without its -----END line/],
    ["padding in the middle", armored.replace(/\n([A-Za-z0-9+/]{8})/, "\n$1=="), /padding/],
  ])("refuses armor with %s", async (_what, text, reason) => {
    await expect(decode(text, 100)).rejects.toThrow(reason);
  });
});
