// Creates the test signing keys that are missing from simulator/keys/ and never overwrites one:
// other sessions and tests depend on the committed keys staying the same.
// Run: tsx simulator/keys/make-test-keys.ts
// Keys are v4 (RSA and legacy EdDSA) so that GnuPG 2.2 can import them and sign in tests.

import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as openpgp from "openpgp";

const DIR = import.meta.dirname;
const DAY = 86_400;

interface KeySpec {
  name: string;
  why: string;
  make: () => Promise<{ publicKey: string; privateKey: string }>;
}

const SPECS: KeySpec[] = [
  {
    name: "test-vendor",
    why: "the simulated vendor: RSA 3072 like a real vendor's release key",
    make: () =>
      openpgp.generateKey({
        type: "rsa",
        rsaBits: 3072,
        userIDs: [{ name: "Test Vendor", email: "test-vendor@example.invalid" }],
        format: "armored",
      }),
  },
  {
    name: "other-signer",
    why: "a well-formed key nobody trusts: EdDSA (Ed25519)",
    make: () =>
      openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "Other Signer", email: "other-signer@example.invalid" }],
        format: "armored",
      }),
  },
  {
    name: "expired-signer",
    why: "made on 2020-01-01 and expired a day later",
    make: () =>
      openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "Expired Signer", email: "expired-signer@example.invalid" }],
        date: new Date("2020-01-01T00:00:00Z"),
        keyExpirationTime: DAY,
        format: "armored",
      }),
  },
  {
    name: "revoked-signer",
    why: "revoked by its owner as compromised; the .pub carries the revocation",
    make: async () => {
      const pair = await openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "Revoked Signer", email: "revoked-signer@example.invalid" }],
        format: "object",
      });
      const revoked = await openpgp.revokeKey({
        key: pair.privateKey,
        reasonForRevocation: { flag: openpgp.enums.reasonForRevocation.keyCompromised, string: "test fixture" },
        format: "armored",
      });
      return { publicKey: revoked.publicKey, privateKey: pair.privateKey.armor() };
    },
  },
];

for (const spec of SPECS) {
  const pub = path.join(DIR, `${spec.name}.pub.asc`);
  const sec = path.join(DIR, `${spec.name}.sec.asc`);
  if (existsSync(pub) || existsSync(sec)) {
    console.log(`kept ${spec.name} (exists)`);
    continue;
  }
  const { publicKey, privateKey } = await spec.make();
  writeFileSync(sec, privateKey, { flag: "wx" });
  writeFileSync(pub, publicKey, { flag: "wx" });
  console.log(`made ${spec.name}: ${spec.why}`);
}
