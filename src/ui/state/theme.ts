/**
 * @module
 * The colour theme: light, dark, or following the system. The choice is remembered in
 * localStorage and applied as `data-theme` on `<html>`, which styles.css reads to swap its
 * palette of CSS variables; components that draw on canvas (charts) re-read the variables when
 * the effective theme changes.
 */
import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'vigil.theme';
const listeners = new Set<() => void>();
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

function readChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function effective(choice: ThemeChoice): Theme {
  if (choice === 'system') return darkQuery.matches ? 'dark' : 'light';
  return choice;
}

function apply(): void {
  document.documentElement.dataset.theme = effective(readChoice());
  for (const onChange of listeners) onChange();
}

darkQuery.addEventListener('change', apply);
apply();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/**
 * The current choice and the theme in effect; re-renders the caller when either changes.
 *
 * @example
 * const { theme } = useTheme(); // "dark"
 */
export function useTheme(): { choice: ThemeChoice; theme: Theme } {
  const choice = useSyncExternalStore(subscribe, readChoice);
  const theme = useSyncExternalStore(subscribe, () => effective(readChoice()));
  return { choice, theme };
}

/**
 * Stores and applies a theme choice.
 *
 * @example
 * setThemeChoice('dark');
 */
export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage disabled (private mode): the choice lasts for this page only.
  }
  document.documentElement.dataset.theme = effective(choice);
  for (const onChange of listeners) onChange();
}
