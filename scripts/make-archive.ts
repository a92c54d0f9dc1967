// Makes a signed test upgrade archive, of any size, with simulator/archives.ts.
//   tsx scripts/make-archive.ts --version 2.11.0+12345 --out ./archives [--size 2GiB]
//     [--format compressed|uncompressed|detached] [--signer other-signer|<key.sec.asc>]
//     [--portal-name] [--downgrade] [--name <file name>] [--hash sha256|sha512] [--level 0-9]

import { mkdir, readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseVersion } from "@/lib/domain/version";
import { makeSignedArchive, type ArchiveFormat, type MakeSignedArchiveOptions } from "@/simulator/archives";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };
const FORMATS: readonly ArchiveFormat[] = ["compressed", "uncompressed", "detached"];
const HASHES: Record<string, number> = { sha256: 8, sha384: 9, sha512: 10 };
const KNOWN_SIGNERS = ["test-vendor", "other-signer", "expired-signer", "revoked-signer"];

/** "2GiB", "500MB", "64KiB", "1000" to bytes; null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  if (!m || unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}

export type MakeArchiveArgs = Omit<MakeSignedArchiveOptions, "signer"> & { signer: string };

/** Parses the command line; throws an Error whose message is meant for the person who typed it. */
export function parseMakeArchiveArgs(argv: string[]): MakeArchiveArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: "string" },
      out: { type: "string" },
      size: { type: "string" },
      format: { type: "string", default: "compressed" },
      signer: { type: "string", default: "test-vendor" },
      "portal-name": { type: "boolean", default: false },
      downgrade: { type: "boolean", default: false },
      name: { type: "string" },
      hash: { type: "string", default: "sha256" },
      level: { type: "string", default: "0" },
    },
    strict: true,
  });
  if (!values.version || !parseVersion(values.version)) throw new Error("--version x.y.z+build is required");
  if (!values.out) throw new Error("--out <directory> is required");
  const sizeBytes = values.size === undefined ? undefined : parseSize(values.size);
  if (sizeBytes === null) throw new Error(`--size ${values.size} is not a size like 64KiB, 500MB or 2GiB`);
  const format = values.format as ArchiveFormat;
  if (!FORMATS.includes(format)) throw new Error(`--format must be one of ${FORMATS.join(", ")}`);
  const hashAlgorithm = HASHES[values.hash.toLowerCase()];
  if (!hashAlgorithm) throw new Error(`--hash must be one of ${Object.keys(HASHES).join(", ")}`);
  const compressionLevel = Number(values.level);
  if (!/^[0-9]$/.test(values.level)) throw new Error("--level is a deflate level from 0 (stored) to 9");
  if (!KNOWN_SIGNERS.includes(values.signer) && !values.signer.endsWith(".asc")) {
    throw new Error(`--signer must be one of ${KNOWN_SIGNERS.join(", ")} or a path to an armored private key (.asc)`);
  }
  return {
    dir: values.out,
    version: values.version,
    kind: values.downgrade ? "downgrade" : "upgrade",
    sizeBytes,
    signer: values.signer,
    format,
    nameForm: values["portal-name"] ? "portal" : "documented",
    fileName: values.name,
    hashAlgorithm,
    compressionLevel,
  };
}

async function main(): Promise<void> {
  let args: MakeArchiveArgs;
  try {
    args = parseMakeArchiveArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`make-archive: ${(e as Error).message}`);
    process.exit(2);
  }
  await mkdir(args.dir, { recursive: true });
  const signer = KNOWN_SIGNERS.includes(args.signer) ? args.signer : await readFile(args.signer, "utf8");
  const made = await makeSignedArchive({ ...args, signer });
  console.log(`path       ${made.path}`);
  if (made.signaturePath) console.log(`signature  ${made.signaturePath}`);
  console.log(`size       ${made.sizeBytes} bytes (${(made.sizeBytes / 1024 ** 3).toFixed(2)} GiB)`);
  console.log(`sha256     ${made.sha256}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(`make-archive: ${(e as Error).message}`);
    process.exit(1);
  });
}
