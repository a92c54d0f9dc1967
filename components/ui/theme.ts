// Light, dark or the system's choice: kept in localStorage, applied as the `dark` class on <html>
// by a small inline script before the first paint (no flash), and by the toggle after that.

export type ThemeChoice = "light" | "dark" | "system";
export const THEME_KEY = "fleet-theme";
export const THEME_CHOICES: readonly ThemeChoice[] = ["light", "dark", "system"];

/** Runs in <head> before anything is drawn; must stand alone (no imports, no React). */
export const THEME_SCRIPT = `(function(){try{var c=localStorage.getItem("${THEME_KEY}");var d=c==="dark"||(c!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.dataset.theme=c==="light"||c==="dark"?c:"system";}catch(_){}})();`;

export function readThemeChoice(): ThemeChoice {
  try {
    const c = localStorage.getItem(THEME_KEY);
    return c === "light" || c === "dark" ? c : "system";
  } catch {
    return "system";
  }
}

export function applyThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
  const dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.dataset.theme = choice;
}
