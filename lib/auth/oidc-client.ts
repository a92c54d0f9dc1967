// The console as an OpenID Connect relying party (openid-client): discovery once per issuer, an
// authorization request with PKCE (S256), state and nonce, and a checked answer. The pending
// request lives in the browser as an AES-GCM envelope under FLEET_MASTER_KEY, so it cannot be forged.
import * as oidc from "openid-client";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import { AppError } from "@/lib/errors";
import { readOidcConfig, type OidcConfig } from "@/lib/auth/oidc-config";
import type { OidcRefusal } from "@/lib/auth/oidc-rules";

export const OIDC_FLOW_COOKIE = "fleet_oidc";
export const OIDC_FLOW_MINUTES = 10;
const FLOW_AAD = "oidc-pending-sign-in";

interface PendingSignIn {
  issuer: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: number;
}

/** The settings, or a 404 that says how to turn single sign-on on; a misconfiguration names its variable. */
export function requireOidcConfig(): OidcConfig {
  let config: OidcConfig | null;
  try {
    config = readOidcConfig();
  } catch (e) {
    throw new AppError("internal", (e as Error).message);
  }
  if (!config) throw new AppError("not-found", "Single sign-on is not configured on this console (FLEET_OIDC_ISSUER is unset); sign in with your email and password.");
  return config;
}

/** The callback URL: FLEET_OIDC_REDIRECT_URI when set, else on the origin the browser used. */
export function oidcRedirectUri(config: OidcConfig, origin: URL): string {
  return config.redirectUri ?? new URL("/api/auth/oidc/callback", origin).toString();
}

const discovered = new Map<string, Promise<oidc.Configuration>>();

/** The issuer's metadata, fetched once; a failed discovery is forgotten so the next attempt retries. */
export function discoverIssuer(config: OidcConfig): Promise<oidc.Configuration> {
  const key = JSON.stringify([config.issuer, config.clientId, config.clientSecret]);
  let found = discovered.get(key);
  if (!found) {
    const auth = config.clientSecret ? oidc.ClientSecretBasic(config.clientSecret) : oidc.None();
    // allowInsecureRequests only ever for a loopback issuer: oidc-config refuses http elsewhere.
    found = oidc.discovery(new URL(config.issuer), config.clientId, undefined, auth, config.insecure ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 });
    discovered.set(key, found);
    found.catch(() => discovered.delete(key));
  }
  return found;
}

/** Where the identity provider is to send the browser back, and the sealed cookie value to remember the request by. */
export async function beginOidcSignIn(config: OidcConfig, redirectUri: string, now = Date.now()): Promise<{ ok: true; authorizationUrl: URL; sealed: string } | { ok: false; reason: "unavailable"; detail: string }> {
  let client: oidc.Configuration;
  try {
    client = await discoverIssuer(config);
  } catch (e) {
    return { ok: false, reason: "unavailable", detail: e instanceof Error ? e.message : String(e) };
  }
  const pending: PendingSignIn = {
    issuer: config.issuer, redirectUri, state: oidc.randomState(), nonce: oidc.randomNonce(),
    codeVerifier: oidc.randomPKCECodeVerifier(), expiresAt: now + OIDC_FLOW_MINUTES * 60_000,
  };
  const authorizationUrl = oidc.buildAuthorizationUrl(client, {
    redirect_uri: redirectUri, scope: config.scope, response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier), code_challenge_method: "S256",
    state: pending.state, nonce: pending.nonce,
  });
  return { ok: true, authorizationUrl, sealed: encryptSecret(JSON.stringify(pending), FLOW_AAD) };
}

function openPending(sealed: string | undefined, config: OidcConfig, now: number): PendingSignIn | null {
  if (!sealed) return null;
  try {
    const pending = JSON.parse(decryptSecret(sealed, FLOW_AAD)) as PendingSignIn;
    return pending.issuer === config.issuer && pending.expiresAt > now ? pending : null;
  } catch {
    return null;
  }
}

export type OidcAnswer = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: OidcRefusal; detail: string };

/**
 * Checks the identity provider's answer against the pending request (state, then the code exchange
 * with the PKCE verifier, the ID token's signature, issuer, audience and nonce) and returns the
 * ID token's claims merged with the UserInfo answer (many providers release groups only there).
 */
export async function completeOidcSignIn(config: OidcConfig, callbackUrl: URL, sealed: string | undefined, now = Date.now()): Promise<OidcAnswer> {
  const pending = openPending(sealed, config, now);
  if (!pending) return { ok: false, reason: "state", detail: "no pending sign-in from this browser, or it expired" };
  if (callbackUrl.searchParams.get("state") !== pending.state) return { ok: false, reason: "state", detail: "state does not match the pending sign-in" };
  const error = callbackUrl.searchParams.get("error");
  if (error) return { ok: false, reason: "denied", detail: `${error}: ${callbackUrl.searchParams.get("error_description") ?? ""}`.trim() };
  let client: oidc.Configuration;
  try {
    client = await discoverIssuer(config);
  } catch (e) {
    return { ok: false, reason: "unavailable", detail: e instanceof Error ? e.message : String(e) };
  }
  // The answer is checked against the redirect URI the request named, whatever Host this request came by.
  const answerUrl = new URL(pending.redirectUri);
  answerUrl.search = callbackUrl.search;
  try {
    const tokens = await oidc.authorizationCodeGrant(client, answerUrl, {
      pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, reason: "failed", detail: "no ID token in the token response" };
    const userinfo = client.serverMetadata().userinfo_endpoint && tokens.access_token
      ? await oidc.fetchUserInfo(client, tokens.access_token, idClaims.sub)
      : {};
    return { ok: true, claims: { ...idClaims, ...userinfo } };
  } catch (e) {
    return { ok: false, reason: "failed", detail: describeError(e) };
  }
}

/** The provider's own words when it gave any (invalid_grant: ...), else the client library's. */
function describeError(e: unknown): string {
  if (e instanceof oidc.ResponseBodyError || e instanceof oidc.AuthorizationResponseError) return `${e.error}: ${e.error_description ?? e.message}`;
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
