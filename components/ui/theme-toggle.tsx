"use client";
import { useEffect, useState } from "react";
import { applyThemeChoice, readThemeChoice, THEME_CHOICES, type ThemeChoice } from "./theme";

const LABEL: Record<ThemeChoice, string> = { light: "Light", dark: "Dark", system: "System" };

/** Three radio buttons (arrow keys move between them); "System" follows the operating system live. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  // localStorage exists only in the browser: read after hydration so server and client agree.
  useEffect(() => setChoice(readThemeChoice()), []);
  useEffect(() => {
    if (choice !== "system") return;
    const media = matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyThemeChoice("system");
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, [choice]);
  return (
    <fieldset className="flex items-center rounded border border-slate-300 text-xs" aria-label="Colour theme">
      <legend className="sr-only">Colour theme</legend>
      {THEME_CHOICES.map((c) => (
        <label key={c} className={`cursor-pointer px-2 py-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600 ${choice === c ? "bg-slate-200 font-medium text-slate-900" : "text-slate-600 hover:bg-slate-100"}`}>
          <input type="radio" name="theme" value={c} checked={choice === c} onChange={() => { setChoice(c); applyThemeChoice(c); }} className="sr-only" />
          {LABEL[c]}
        </label>
      ))}
    </fieldset>
  );
}
