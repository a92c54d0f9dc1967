// Enrolment only: reads the certificate an appliance presents so an admin can decide to pin it.
// This is the one TLS connection that does not verify the peer, because there is nothing to verify
// against yet. It sends no application data (no credentials, no request) and is destroyed as soon
// as the certificate is read; every other connection trusts exactly the pinned certificate.
import tls from "node:tls";
import { isIP } from "node:net";
import { AppError } from "@/lib/errors";
import { certFingerprintOf, derToPem } from "./fingerprints";
import { isUnreachableNetworkError } from "./connect-errors";

export interface PresentedCertificate {
  fingerprint: string;
  subject: string;
  validTo: string;
  pem: string;
}

export function readPresentedCertificate(host: string, port: number, timeoutMs: number): Promise<PresentedCertificate> {
  const where = `https ${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false, // read-only, see the header: nothing is sent on this socket
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new AppError("appliance-unreachable", `${where}: no TLS handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate(false);
      socket.destroy();
      if (!cert || !cert.raw) return reject(new AppError("appliance-error", `${where}: no certificate presented`));
      resolve({
        fingerprint: certFingerprintOf(cert.raw),
        subject: Object.entries(cert.subject ?? {})
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`)
          .join(", "),
        validTo: new Date(cert.valid_to).toISOString(),
        pem: derToPem(cert.raw),
      });
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new AppError(isUnreachableNetworkError(err) ? "appliance-unreachable" : "appliance-error", `${where}: ${err.message}`),
      );
    });
  });
}
