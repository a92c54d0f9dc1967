// Makes v4 signatures over a digest computed while streaming, with node's crypto and a key read by
// openpgp.js: the writing side of verify-digest.ts. For simulators and tests; the console never signs.

import { constants, createPrivateKey, privateEncrypt, sign, type Hash, type KeyObject } from "node:crypto";
import * as openpgp from "openpgp";
import { HASH_ALGORITHMS, PUBLIC_KEY, type HashAlgorithm } from "@/lib/archives/openpgp/algorithms";
import { TAG } from "@/lib/archives/openpgp/packets";
import { mpi, packet } from "@/lib/archives/openpgp/write-packets";

export interface ArchiveSigner {
  pubAlgo: number;
  keyId: Buffer;
  fingerprint: Buffer;
  hash: HashAlgorithm;
  /** Finishes `hasher` (which has seen the signed data) and returns the whole signature packet. */
  signaturePacket(hasher: Hash, createdAt: Date): Buffer;
}

const b64url = (v: Uint8Array) => Buffer.from(v).toString("base64url");
const big = (v: Uint8Array) => BigInt(`0x${Buffer.from(v).toString("hex") || "0"}`);
const unbig = (v: bigint) => {
  const hex = v.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
};

/** Reads an unprotected armored private key; signs with its signing subkey if it has one. */
export async function loadSigner(armoredPrivateKey: string, hashId = 8, at = new Date()): Promise<ArchiveSigner> {
  const privateKey = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!privateKey.isDecrypted()) throw new Error("the signing key is protected by a passphrase; test keys must not be");
  // Expired or revoked fixture keys still sign: tests need such signatures to refuse them.
  const signingKey = await privateKey.getSigningKey(undefined, at).catch(() => privateKey);
  const keyPacket = signingKey.keyPacket as openpgp.SecretKeyPacket;
  const hash = HASH_ALGORITHMS.get(hashId);
  if (!hash) throw new Error(`hash algorithm ${hashId} is not supported`);
  const fingerprint = Buffer.from(keyPacket.getFingerprintBytes() ?? []);
  const keyId = fingerprint.subarray(-8);
  const signValues = valueSigner(keyPacket, hash);

  return {
    pubAlgo: keyPacket.algorithm,
    keyId,
    fingerprint,
    hash,
    signaturePacket(hasher, createdAt) {
      const created = Buffer.alloc(4);
      created.writeUInt32BE(Math.floor(createdAt.getTime() / 1000));
      const hashedSubs = Buffer.concat([subpacket(33, Buffer.concat([Buffer.from([4]), fingerprint])), subpacket(2, created)]);
      const unhashedSubs = subpacket(16, keyId);
      const hashedPart = Buffer.concat([Buffer.from([4, 0x00, keyPacket.algorithm, hash.id]), u16(hashedSubs.length), hashedSubs]);
      const tail = Buffer.alloc(6);
      tail[0] = 0x04;
      tail[1] = 0xff;
      tail.writeUInt32BE(hashedPart.length, 2);
      hasher.update(hashedPart);
      hasher.update(tail);
      const digest = hasher.digest();
      const body = Buffer.concat([hashedPart, u16(unhashedSubs.length), unhashedSubs, digest.subarray(0, 2), signValues(digest)]);
      return packet(TAG.signature, body);
    },
  };
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function subpacket(type: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length + 1, type]), data]);
}

function valueSigner(keyPacket: openpgp.SecretKeyPacket, hash: HashAlgorithm): (digest: Buffer) => Buffer {
  const pub = keyPacket.publicParams as Record<string, Uint8Array>;
  const priv = (keyPacket.privateParams ?? {}) as Record<string, Uint8Array>;
  const field = (params: Record<string, Uint8Array>, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`the signing key lacks its "${name}" parameter`);
    return value;
  };
  switch (keyPacket.algorithm as number) {
    case PUBLIC_KEY.rsa:
    case PUBLIC_KEY.rsaSignOnly: {
      // OpenPGP stores p < q and u = p^-1 mod q; JWK wants qi = q^-1 mod p, so swap p and q.
      const [d, p, q] = [big(field(priv, "d")), big(field(priv, "p")), big(field(priv, "q"))];
      const jwk = {
        kty: "RSA",
        n: b64url(field(pub, "n")),
        e: b64url(field(pub, "e")),
        d: b64url(unbig(d)),
        p: b64url(unbig(q)),
        q: b64url(unbig(p)),
        dp: b64url(unbig(d % (q - 1n))),
        dq: b64url(unbig(d % (p - 1n))),
        qi: b64url(field(priv, "u")),
      };
      const key = createPrivateKey({ key: jwk, format: "jwk" });
      return (digest) => mpi(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([hash.digestInfo, digest])));
    }
    case PUBLIC_KEY.eddsaLegacy:
    case PUBLIC_KEY.ed25519: {
      const legacy = keyPacket.algorithm === PUBLIC_KEY.eddsaLegacy;
      const x = legacy ? field(pub, "Q").subarray(1) : field(pub, "A");
      const key: KeyObject = createPrivateKey({
        key: { kty: "OKP", crv: "Ed25519", x: b64url(x), d: b64url(field(priv, "seed")) },
        format: "jwk",
      });
      return (digest) => {
        const sig = sign(null, digest, key);
        return legacy ? Buffer.concat([mpi(sig.subarray(0, 32)), mpi(sig.subarray(32))]) : sig;
      };
    }
    default:
      throw new Error(`signing with public-key algorithm ${keyPacket.algorithm} is not implemented`);
  }
}
