import { KINDS, kindColor } from "./kinds";

// Light or dark: the system's choice until a person picks one, then theirs, kept.
export type Theme = "light" | "dark";
const KEY = "annals.theme";

export function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(KEY);
    return t === "light" || t === "dark" ? t : null;
  } catch {
    return null;
  }
}

export function systemTheme(): Theme {
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Sets the theme on the document, and the kind colours as custom properties
 *  (through the CSSOM) so the stylesheet and the canvas share one palette. */
export function applyTheme(t: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = t;
  for (const k of KINDS) root.style.setProperty(`--kind-${k}`, kindColor(k, t === "dark"));
}

export function saveTheme(t: Theme): void {
  try {
    localStorage.setItem(KEY, t);
  } catch {
    // Private mode or no storage: the choice lasts for this session only.
  }
}
