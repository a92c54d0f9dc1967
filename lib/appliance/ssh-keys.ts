// ed25519 key pairs in OpenSSH format. ssh2 1.17's generateKeyPairSync("ed25519") drops a leading
// zero byte of the public key (about 1 key in 256): the key is then malformed for ssh2 and OpenSSH
// alike. Generate, check by parsing, and try again.
import ssh2 from "ssh2";
import { AppError } from "@/lib/errors";

export interface SshKeyPair {
  /** OpenSSH private key, unencrypted. */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment`, an authorized_keys line. */
  publicKey: string;
}

export function generateSshKeyPair(comment?: string): SshKeyPair {
  for (let i = 0; i < 16; i++) {
    const k = ssh2.utils.generateKeyPairSync("ed25519", comment ? { comment } : undefined);
    const priv = ssh2.utils.parseKey(k.private);
    const pub = ssh2.utils.parseKey(k.public);
    if (!(priv instanceof Error) && !(pub instanceof Error)) return { privateKey: k.private, publicKey: k.public };
  }
  throw new AppError("internal", "could not generate a well-formed ed25519 key pair");
}
