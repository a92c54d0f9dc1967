// The REST API's self-signed certificate, generated once per stateDir so its fingerprint
// (what the console pins) survives restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import selfsigned from "selfsigned";

export interface TlsIdentity {
  key: string;
  cert: string;
  /** sha256 of the certificate's DER, lowercase hex without colons. */
  fingerprint: string;
}

export async function loadTlsIdentity(stateDir: string, name: string): Promise<TlsIdentity> {
  const dir = path.join(stateDir, "tls");
  const keyFile = path.join(dir, "server.key");
  const certFile = path.join(dir, "server.crt");
  if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) {
    const notAfter = new Date();
    notAfter.setFullYear(notAfter.getFullYear() + 10);
    const pems = await selfsigned.generate([{ name: "commonName", value: name }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notAfterDate: notAfter,
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames: [{ type: 2, value: name }, { type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] },
      ],
    });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
    fs.writeFileSync(certFile, pems.cert);
  }
  const key = fs.readFileSync(keyFile, "utf8");
  const cert = fs.readFileSync(certFile, "utf8");
  return { key, cert, fingerprint: certFingerprint(cert) };
}

export function certFingerprint(certPem: string): string {
  const der = new crypto.X509Certificate(certPem).raw;
  return crypto.createHash("sha256").update(der).digest("hex");
}
