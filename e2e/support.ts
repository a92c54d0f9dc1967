import fs from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { STACK_FILE } from "./global-setup";

export interface StackInfo { url: string; admin: { email: string; password: string }; databaseUrl: string; controlUrl: string; archives: string[]; vendorKey: string; sso: { issuer: string; label: string }; webEnv: Record<string, string> }

export function stack(): StackInfo {
  return JSON.parse(fs.readFileSync(STACK_FILE, "utf8")) as StackInfo;
}

/** Screenshots are kept as artifacts under test-results/ and attached to the report. */
export async function snap(page: Page, info: TestInfo, name: string): Promise<void> {
  const file = info.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await info.attach(name, { path: file, contentType: "image/png" });
  fs.mkdirSync(path.join("test-results", "screens"), { recursive: true });
  fs.copyFileSync(file, path.join("test-results", "screens", `${info.title.replace(/\W+/g, "-").slice(0, 40)}-${name}.png`));
}

export async function signIn(page: Page, s: StackInfo): Promise<void> {
  await page.goto(`${s.url}/login`);
  await page.getByLabel("Email").fill(s.admin.email);
  await page.getByLabel("Password").fill(s.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${s.url}/`);
}

/** Trust the test vendor key and upload the 2.11 archive, unless an earlier journey already did. */
export async function ensureArchive(page: Page, s: StackInfo, version = "2.11.0+13003"): Promise<void> {
  await page.goto(`${s.url}/archives`);
  const keys = page.getByLabel("Trusted keys");
  await keys.waitFor();
  if (!(await keys.textContent())?.includes("Test Vendor")) {
    await page.getByLabel("Add a public key (ASCII armored)").fill(fs.readFileSync(s.vendorKey, "utf8"));
    await page.getByRole("button", { name: "Trust this key" }).click();
    await page.getByLabel("Trusted keys").getByText("Test Vendor").waitFor();
  }
  const table = page.getByRole("table");
  await table.waitFor();
  if (await table.getByRole("row", { name: new RegExp(`${version.replace("+", "\\+")}.*verified`) }).count()) return;
  await page.getByLabel("Archive file").setInputFiles(s.archives.find((a) => a.includes(version))!);
  await page.getByRole("button", { name: "Upload and verify" }).click();
  await page.getByRole("status").getByText("Verified").waitFor();
}
