// Single sign-on in a real Chromium: the console's button, the identity provider's own login page
// on another site (127.0.0.2, oidc-provider started by global-setup), and back to the console
// signed in with the role its groups map to; a person in no mapped group is told why not.
import { expect, test, type Page } from "@playwright/test";
import { signedInClient } from "./api-routes";
import { snap, stack } from "./support";

async function signInAtProvider(page: Page, login: string): Promise<void> {
  const s = stack();
  await page.goto(`${s.url}/login`);
  await page.getByRole("link", { name: `Sign in with ${s.sso.label}` }).click();
  await page.waitForURL(`${s.sso.issuer}/interaction/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test("a person signs in through the identity provider and lands on the fleet with the mapped role", async ({ page, context }, info) => {
  const s = stack();
  await signInAtProvider(page, "sso-operator");
  await page.waitForURL(`${s.url}/`);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toContainText("sso-operator@idp.test");
  await expect(nav).toContainText("operator");
  await expect(page.getByRole("link", { name: "cm-lon-01" })).toBeVisible();
  await snap(page, info, "signed-in-by-sso");

  // The same session cookie as a password sign-in; the pending-request cookie is gone.
  const cookies = await context.cookies(s.url);
  expect(cookies.find((c) => c.name === "fleet_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  expect(cookies.find((c) => c.name === "fleet_oidc")).toBeUndefined();
  const me = (await (await page.request.get(`${s.url}/api/me`)).json()) as { user: { email: string; role: string } };
  expect(me.user).toMatchObject({ email: "sso-operator@idp.test", role: "operator" });

  const admin = await signedInClient(s.url, s.admin.email, s.admin.password);
  const audit = (await (await admin.get("/api/audit?actor=sso-operator@idp.test&action=signed-in")).json()) as { data: unknown }[];
  expect(audit[0]?.data).toEqual({ method: "oidc", issuer: s.sso.issuer });
  await admin.dispose();
});

test("someone in no mapped group is refused, and the login page says why", async ({ page }, info) => {
  const s = stack();
  await signInAtProvider(page, "sso-outsider");
  await page.waitForURL(`${s.url}/login?error=no-role`);
  await expect(page.getByRole("alert").filter({ hasText: "identity provider" })).toHaveText("Your identity provider account is not in any group mapped to a console role; ask an administrator.");
  expect((await page.request.get(`${s.url}/api/me`)).status()).toBe(401);
  await snap(page, info, "refused-no-role");
});

test("an answer the console did not ask for is refused", async ({ page }) => {
  const s = stack();
  await page.goto(`${s.url}/api/auth/oidc/callback?code=stolen&state=forged`);
  await page.waitForURL(`${s.url}/login?error=state`);
  await expect(page.getByRole("alert").filter({ hasText: "single sign-on" })).toContainText("expired or did not start from this console");
});
