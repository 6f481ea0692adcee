/**
 * @module
 * Index names and index patterns. Names follow Elasticsearch's rules, so a shipper configured
 * for Elasticsearch gets the same answer here: lowercase, none of `\ / * ? " < > | , #`, space
 * or `:`, not starting with `-`, `_` or `+`, not `.` or `..`, at most 255 bytes. Since names
 * never contain `/`, the store uses them as directory names unchanged.
 */

const FORBIDDEN = new Set(['\\', '/', '*', '?', '"', '<', '>', '|', ',', '#', ' ', ':']);

/**
 * Why `name` is not a valid index name, or undefined when it is.
 *
 * @example
 * invalidIndexName('logs-app'); // undefined
 * invalidIndexName('Logs'); // 'must be lowercase'
 */
export function invalidIndexName(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (Buffer.byteLength(name) > 255) return 'must not be longer than 255 bytes';
  const c0 = name.charCodeAt(0);
  if (c0 === 45 || c0 === 95 || c0 === 43) return 'must not start with "_", "-", or "+"';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  for (const ch of name) {
    if (FORBIDDEN.has(ch)) return `must not contain "${ch}"`;
  }
  return undefined;
}

/**
 * A predicate for index names matching any of `patterns` (names or `*` wildcards); an empty
 * list matches every index, as Elasticsearch reads an empty target.
 *
 * @example
 * const m = indexMatcher(['logs-*', 'audit']);
 * m('logs-app'); // true
 * m('metrics'); // false
 */
export function indexMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0 || patterns.includes('*') || patterns.includes('_all')) {
    return () => true;
  }
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (!p.includes('*')) exact.add(p);
    else {
      const src = p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      globs.push(new RegExp(`^${src}$`));
    }
  }
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}
