// An HTTPS server on loopback with a fresh self-signed certificate, for tests of pinning and of
// the REST client's transport. Handlers are plain node:http handlers.
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { X509Certificate, createHash } from "node:crypto";
import selfsigned from "selfsigned";

export interface TestHttps {
  port: number;
  url: string;
  certPem: string;
  fingerprint: string;
  stop(): Promise<void>;
}

export async function newSelfSignedCert(cn = "appliance.test"): Promise<{ key: string; cert: string; fingerprint: string }> {
  const r = await selfsigned.generate([{ name: "commonName", value: cn }], { keyType: "ec", curve: "P-256", algorithm: "sha256" });
  const fingerprint = createHash("sha256").update(new X509Certificate(r.cert).raw).digest("hex");
  return { key: r.private, cert: r.cert, fingerprint };
}

export async function startTestHttps(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  cert?: { key: string; cert: string; fingerprint: string },
): Promise<TestHttps> {
  const c = cert ?? (await newSelfSignedCert());
  const server = https.createServer({ key: c.key, cert: c.cert }, handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    certPem: c.cert,
    fingerprint: c.fingerprint,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
