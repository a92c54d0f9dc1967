// A real OpenID Connect provider (panva's oidc-provider) for tests: one confidential client, an
// in-memory account store with groups, its stock development login page (any password), and the
// consent a first-party client would be given. Runs on a loopback host over plain http.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export interface TestAccount {
  /** What one types in the provider's login box. */
  login: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Change or add an account while the provider runs (its groups, say). */
  accounts: Map<string, TestAccount>;
  stop(): Promise<void>;
}

const SCOPE = "openid email profile groups";

export async function startTestOidcProvider(opts: { host?: string; port?: number; redirectUris: string[]; accounts: TestAccount[] }): Promise<TestOidcProvider> {
  const host = opts.host ?? "127.0.0.1";
  const accounts = new Map(opts.accounts.map((a) => [a.login, a]));
  const clientId = "fleet-console";
  const clientSecret = crypto.randomBytes(24).toString("base64url");
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const signingKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris, response_types: ["code"], grant_types: ["authorization_code"] }],
    jwks: { keys: [{ ...signingKey, kid: "test", use: "sig", alg: "RS256" }] as never },
    cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
    scopes: SCOPE.split(" "),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: a.email, email_verified: a.emailVerified, name: a.name, groups: a.groups }),
      };
    },
    // A first-party client: consent is given on the user's behalf, as a company IdP configures it.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { Grant } = ctx.oidc.provider;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return Grant.find(grantId);
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());
  return {
    issuer, clientId, clientSecret, accounts,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The console's environment for this provider. */
export function oidcEnvFor(p: TestOidcProvider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FLEET_OIDC_ISSUER: p.issuer, FLEET_OIDC_CLIENT_ID: p.clientId, FLEET_OIDC_CLIENT_SECRET: p.clientSecret,
    FLEET_OIDC_SCOPES: SCOPE, FLEET_OIDC_ROLE_CLAIM: "groups",
    FLEET_OIDC_ROLE_MAP: "fleet-admins=admin,fleet-approvers=approver,fleet-operators=operator,fleet-viewers=viewer",
    FLEET_OIDC_NAME: "Test IdP", ...extra,
  };
}

/**
 * A browser's part of the flow, by plain HTTP: follow the authorization URL, fill the provider's
 * login page, follow its redirects, and return the URL it finally sends the browser to (the
 * console's callback with a code, or with an error).
 */
export async function authorizeAtProvider(authorizationUrl: URL, login: string, redirectUriPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop++) {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url);
      if (url.toString().startsWith(redirectUriPrefix)) return url;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !html.includes('name="login"')) throw new Error(`the provider answered ${res.status} at ${url}: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url);
    init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ prompt: "login", login, password: "any password" }).toString() };
  }
  throw new Error("the provider redirected too many times");
}
