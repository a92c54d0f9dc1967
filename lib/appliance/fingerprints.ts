// Fingerprints in the forms admins compare by eye: OpenSSH's `SHA256:...` for host keys and
// plain lowercase hex for certificates. Normalising lets a pasted value with colons or padding match.
import { createHash } from "node:crypto";

/** `SHA256:<base64, no padding>` of an SSH public key blob, as `ssh-keygen -lf` prints it. */
export function sshHostKeyFingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The algorithm name an SSH public key blob starts with (`ssh-ed25519`, `rsa-sha2-512` keys say `ssh-rsa`). */
export function sshKeyAlgorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > keyBlob.length) return "unknown";
  return keyBlob.subarray(4, 4 + len).toString("latin1");
}

export function normalizeSshFingerprint(value: string): string {
  const v = value.trim().replace(/=+$/, "");
  return v.startsWith("SHA256:") ? v : `SHA256:${v}`;
}

/** Lowercase hex SHA-256 of a certificate's DER. */
export function certFingerprintOf(der: Buffer): string {
  return createHash("sha256").update(der).digest("hex");
}

export function normalizeCertFingerprint(value: string): string {
  return value.trim().toLowerCase().replace(/[^0-9a-f]/g, "");
}

export function derToPem(der: Buffer): string {
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
