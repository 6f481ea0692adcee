/**
 * @module
 * The colour scheme in effect, `light` or `dark`: the theme switch's choice (`data-theme` on
 * `<html>`) or else the system's preference. Canvas charts read it to redraw in the palette's
 * colours, which CSS alone cannot restyle.
 */
import { useSyncExternalStore } from 'react';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    media.removeEventListener('change', onChange);
    observer.disconnect();
  };
}

function current(): 'light' | 'dark' {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/**
 * @example
 * const scheme = useColorScheme(); // 'dark'
 */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, current);
}
