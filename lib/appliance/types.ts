// The three things every call to an appliance needs: where it is, who we are, and what we pinned.
// Kept apart so credentials can be decrypted late and dropped early, while trust is stored with the Appliance.

export interface ApplianceEndpoint {
  host: string;
  sshPort: number;
  /** `https://host:port`, without a path; the client adds `/api/v1/...`. */
  restUrl: string;
}

export interface ApplianceCredentials {
  /** `ksadmin` on a real appliance. */
  sshUser: string;
  /** OpenSSH or PEM private key, already decrypted, held in memory only. */
  privateKey: string;
  restUsername: string;
  restPassword: string;
}

export interface ApplianceTrust {
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -l` and OpenSSH print it. */
  sshHostKeyFingerprint: string;
  /** Lowercase hex SHA-256 of the certificate's DER, no colons. */
  restCertFingerprint: string;
  /**
   * The pinned certificate itself (PEM), used as the only trust anchor so that a self-signed
   * appliance certificate verifies without turning verification off. Without it the system CAs
   * must vouch for the certificate; the fingerprint is compared either way.
   */
  restCertPem?: string;
}
