// The appliance's SSH host key, kept in its stateDir so the fingerprint a console pinned stays
// valid across restarts, until the hostKeyChanged fault asks for a new one.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import ssh2 from "ssh2";

const { utils } = ssh2;

export class HostKeyStore {
  private readonly file: string;
  private privateKey = "";
  private fp = "";

  constructor(stateDir: string) {
    this.file = path.join(stateDir, "ssh_host_ed25519_key");
    if (fs.existsSync(this.file)) this.privateKey = fs.readFileSync(this.file, "utf8");
    // A missing or unreadable key (ssh2's malformed ed25519, see below) is made anew.
    if (!this.privateKey || utils.parseKey(this.privateKey) instanceof Error) this.regenerate();
    this.fp = fingerprintOf(this.privateKey);
  }

  get key(): string {
    return this.privateKey;
  }

  /** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` and OpenSSH clients print it. */
  get fingerprint(): string {
    return this.fp;
  }

  regenerate(): void {
    const pair = generateEd25519("root@ciphertrust");
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, pair.private, { mode: 0o600 });
    this.privateKey = pair.private;
    this.fp = fingerprintOf(pair.private);
  }
}

/**
 * ssh2 1.17's generateKeyPairSync("ed25519") drops a leading zero byte of the public key about
 * once in 256 keys, leaving a key nobody can parse: generate until the pair parses.
 */
export function generateEd25519(comment: string): { private: string; public: string } {
  for (let i = 0; i < 32; i++) {
    const pair = utils.generateKeyPairSync("ed25519", { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
  throw new Error("could not generate a well-formed ed25519 key");
}

export function fingerprintOf(keyText: string): string {
  const parsed = utils.parseKey(keyText);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error("no key in host key file");
  const digest = crypto.createHash("sha256").update(key.getPublicSSH()).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}
