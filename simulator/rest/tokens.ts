// Bearer tokens: HS256 JWTs signed with a secret kept in the node's state, so a token stays
// valid across a reboot until it expires, as with a real appliance's persistent signing key.
import crypto from "node:crypto";

export const TOKEN_SECONDS = 300;

export function issueJwt(secret: string, username: string, now = Date.now()): string {
  const header = b64({ alg: "HS256", typ: "JWT" });
  const iat = Math.floor(now / 1000);
  const payload = b64({ sub: username, iat, exp: iat + TOKEN_SECONDS, jti: crypto.randomUUID(), iss: "kylo" });
  return `${header}.${payload}.${sign(secret, `${header}.${payload}`)}`;
}

/** The user a valid, unexpired token names, or null. */
export function verifyJwt(secret: string, token: string, now = Date.now()): string | null {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return null;
  const expected = Buffer.from(sign(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
    return claims.exp * 1000 > now ? claims.sub : null;
  } catch {
    return null;
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function sign(secret: string, data: string): string {
  return crypto.createHmac("sha256", secret).update(data).digest("base64url");
}
