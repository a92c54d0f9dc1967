// AES-256-GCM envelopes for secrets at rest (SSH private keys, REST passwords). The stored text
// is `v1:<iv>:<tag>:<ciphertext>` in base64; the key comes from FLEET_MASTER_KEY, never the DB.
import crypto from "node:crypto";
import { getConfig } from "@/lib/config";

function decodeMasterKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error("FLEET_MASTER_KEY must decode to exactly 32 bytes");
  return key;
}

export function encryptSecret(plain: string, aad: string, masterKey = getConfig().masterKey): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", decodeMasterKey(masterKey), iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
}

/** `aad` binds the envelope to its row (e.g. the identity id): a swapped ciphertext fails. */
export function decryptSecret(envelope: string, aad: string, masterKey = getConfig().masterKey): string {
  const [version, iv, tag, body] = envelope.split(":");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("secret envelope is malformed");
  const decipher = crypto.createDecipheriv("aes-256-gcm", decodeMasterKey(masterKey), Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}
