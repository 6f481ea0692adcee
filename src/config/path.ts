/**
 * @module
 * Key paths into a configuration document: how they print in messages
 * (`scrape_configs[0].scrape_interval`) and the value they point at. No schema imports, so
 * anything that reports configuration-style errors (file_sd files, relabel rules) can use it.
 */

/**
 * @example
 * formatPath(['scrape_configs', 0, 'scrape_interval']); // 'scrape_configs[0].scrape_interval'
 */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** The value at `path` inside a parsed YAML document, for messages that quote it. */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}
