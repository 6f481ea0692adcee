/**
 * @module
 * The light/dark switch of the top bar. The palette lives in CSS custom properties
 * (styles.css); this only sets `data-theme` on `<html>` to `light` or `dark`, or removes it to
 * follow the system's preference. The choice is kept in localStorage, and applied when this
 * module loads, before the first render, so a dark page does not flash light.
 */
import { useState } from 'react';

export type Theme = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'vigil.theme';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'Auto', light: 'Light', dark: 'Dark' };

function storedTheme(): Theme {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system'; // storage disabled: follow the system
  }
}

function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

applyTheme(storedTheme());

/**
 * A button that cycles Auto → Light → Dark.
 *
 * @example
 * <ThemeToggle />
 */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const onClick = () => {
    const next = NEXT[theme];
    setTheme(next);
    applyTheme(next);
    try {
      if (next === 'system') window.localStorage.removeItem(STORAGE_KEY);
      else window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  };
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={onClick}
      title="Colour theme: follow the system, light or dark"
      aria-label={`Theme: ${LABEL[theme]}`}
      data-testid="theme-toggle"
    >
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} {LABEL[theme]}
    </button>
  );
}
