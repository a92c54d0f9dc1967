import fs from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { STACK_FILE } from "./global-setup";

export interface StackInfo { url: string; admin: { email: string; password: string }; controlUrl: string; archives: string[]; vendorKey: string }

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
