// The verdicts a check can reach. Inner layers throw VerifyFailure; verifySignedArchive turns
// it into a result value, so callers always get a code and a sentence, never an exception.

export type VerifyFailureCode =
  | "unsigned"
  | "unknown-signer"
  | "bad-signature"
  | "truncated"
  | "malformed"
  | "encrypted"
  | "expired-key"
  | "revoked-key"
  | "unsupported";

export class VerifyFailure extends Error {
  readonly code: VerifyFailureCode;

  constructor(code: VerifyFailureCode, reason: string) {
    super(reason);
    this.name = "VerifyFailure";
    this.code = code;
  }
}

export const truncated = (what: string) =>
  new VerifyFailure("truncated", `the file ends in the middle of ${what}: it was cut short (an incomplete download or copy?)`);

export const malformed = (reason: string) => new VerifyFailure("malformed", reason);
