// The dark theme is generated from Tailwind's own palette, and the colour pairs the console relies
// on are measured in both themes. UPDATE_PALETTE=1 rewrites app/dark-palette.css after a change.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKED_PAIRS, contrastRatio, darkPaletteCss, darkToken, readThemeColors, relativeLuminance } from "./palette";

const root = path.resolve(import.meta.dirname, "../..");
const colors = readThemeColors(fs.readFileSync(path.join(root, "node_modules/tailwindcss/theme.css"), "utf8"));
const generated = path.join(root, "app/dark-palette.css");

describe("contrast arithmetic", () => {
  it.each([
    ["#000", "#fff", 21],
    ["#fff", "#fff", 1],
    ["#777777", "#ffffff", 4.48],
    ["oklch(100% 0 0)", "#000000", 21],
  ])("%s on %s is %d:1", (fg, bg, ratio) => {
    expect(contrastRatio(fg, bg)).toBeCloseTo(ratio, 1);
  });

  it("reads Tailwind's oklch values as the browser does (white is 1, black is 0)", () => {
    expect(relativeLuminance(colors.white!)).toBeCloseTo(1, 5);
    expect(relativeLuminance("oklch(0% 0 0)")).toBeCloseTo(0, 5);
    // slate-500 is #62748e in Tailwind's docs.
    expect(relativeLuminance(colors["slate-500"]!)).toBeCloseTo(relativeLuminance("#62748e"), 2);
  });
});

describe("the dark theme", () => {
  it("is the generated stylesheet in app/dark-palette.css", () => {
    const css = darkPaletteCss(colors);
    if (process.env.UPDATE_PALETTE === "1") fs.writeFileSync(generated, css);
    expect(fs.readFileSync(generated, "utf8")).toBe(css);
  });

  it.each([
    ["white", "slate-900"], ["slate-50", "slate-950"], ["slate-500", "slate-400"], ["red-50", "red-950"], ["sky-700", "sky-300"], ["black", "black"],
  ])("%s becomes %s", (light, dark) => {
    expect(darkToken(light)).toBe(dark);
  });

  it("leaves a box that is dark on purpose (the log's terminal) as it is, with its pale text", () => {
    const css = darkPaletteCss(colors);
    const box = css.slice(css.indexOf(".dark .bg-slate-950"));
    expect(box).toContain(`--color-slate-950: ${colors["slate-950"]};`);
    expect(box).toContain(`--color-slate-100: ${colors["slate-100"]};`);
  });

  it("keeps the page darker than a panel, and a panel darker than its fills", () => {
    const l = (t: string) => relativeLuminance(colors[darkToken(t)]!);
    expect(l("slate-50")).toBeLessThan(l("white"));
    expect(l("white")).toBeLessThan(l("slate-100"));
  });
});

describe.each([
  ["light", (t: string) => t],
  ["dark", darkToken],
])("contrast in the %s theme", (_theme, token) => {
  it.each(CHECKED_PAIRS)("$where ($fg on $bg) reaches $min:1", ({ fg, bg, min }) => {
    expect(contrastRatio(colors[token(fg)]!, colors[token(bg)]!)).toBeGreaterThanOrEqual(min);
  });
});
