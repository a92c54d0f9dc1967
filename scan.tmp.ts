import { readFile, writeFile } from "node:fs/promises";
import { verifySignedArchive } from "@/lib/archives/verify-signature";
import { keyPath, makeSignedArchive } from "@/simulator/archives";
const trustedKeys = [await readFile(keyPath("test-vendor", "pub"), "utf8")];
for (const format of ["uncompressed", "compressed", "detached"] as const) {
  const m = await makeSignedArchive({ dir: "/tmp/av", version: "2.11.0+1", sizeBytes: 2048, format, fileName: `scan-${format}` });
  const bytes = await readFile(m.path);
  const codes: Record<string, number> = {}; const okAt: number[] = [];
  for (let i = 0; i < bytes.length; i++) for (const x of [0x01, 0x80, 0xff]) {
    const b = Buffer.from(bytes); b[i] ^= x; await writeFile("/tmp/av/scan-mut", b);
    const r = await verifySignedArchive("/tmp/av/scan-mut", { trustedKeys, signaturePath: m.signaturePath });
    const k = r.ok ? "ok" : r.code; codes[k] = (codes[k] ?? 0) + 1; if (r.ok) okAt.push(i);
  }
  console.log(format, bytes.length, JSON.stringify(codes), "ok at offsets", [...new Set(okAt)].join(","));
}
