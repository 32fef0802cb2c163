export type Theme = "light" | "dark";

const KEY = "flotilla.theme";

/** The chosen theme, or the system's (prefers-color-scheme) until a person picks one. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function applyTheme(theme: Theme, options: { save: boolean }): void {
  document.documentElement.dataset.theme = theme;
  if (options.save) localStorage.setItem(KEY, theme);
}
