// OpenPGP algorithm numbers (RFC 9580 section 9) mapped to what node's crypto calls them.

export interface HashAlgorithm {
  id: number;
  /** The name gpg prints, e.g. "SHA256". */
  name: string;
  /** The name node:crypto's createHash takes. */
  node: string;
  /** DER DigestInfo prefix that RSA PKCS#1 v1.5 signatures wrap around the digest. */
  digestInfo: Buffer;
}

const hex = (s: string) => Buffer.from(s.replace(/ /g, ""), "hex");

export const HASH_ALGORITHMS: ReadonlyMap<number, HashAlgorithm> = new Map(
  [
    { id: 8, name: "SHA256", node: "sha256", digestInfo: hex("3031300d060960864801650304020105000420") },
    { id: 9, name: "SHA384", node: "sha384", digestInfo: hex("3041300d060960864801650304020205000430") },
    { id: 10, name: "SHA512", node: "sha512", digestInfo: hex("3051300d060960864801650304020305000440") },
    { id: 11, name: "SHA224", node: "sha224", digestInfo: hex("302d300d06096086480165030402040500041c") },
    { id: 12, name: "SHA3-256", node: "sha3-256", digestInfo: hex("3031300d060960864801650304020805000420") },
    { id: 14, name: "SHA3-512", node: "sha3-512", digestInfo: hex("3051300d060960864801650304020a05000440") },
  ].map((h) => [h.id, h] as const),
);

/** Hashes too weak to trust for a firmware signature (collisions are practical or near). */
export const WEAK_HASHES: ReadonlyMap<number, string> = new Map([
  [1, "MD5"],
  [2, "SHA1"],
  [3, "RIPEMD160"],
]);

export const PUBLIC_KEY = {
  rsa: 1,
  rsaSignOnly: 3,
  dsa: 17,
  ecdsa: 19,
  eddsaLegacy: 22,
  ed25519: 27,
  ed448: 28,
} as const;

export function publicKeyName(id: number): string {
  const names: Record<number, string> = { 1: "RSA", 3: "RSA", 17: "DSA", 19: "ECDSA", 22: "EdDSA", 27: "Ed25519", 28: "Ed448" };
  return names[id] ?? `public-key algorithm ${id}`;
}

export const COMPRESSION = { none: 0, zip: 1, zlib: 2, bzip2: 3 } as const;

export function compressionName(id: number): string {
  return ["uncompressed", "ZIP", "ZLIB", "BZIP2"][id] ?? `compression algorithm ${id}`;
}
