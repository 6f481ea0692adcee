/**
 * @module
 * Writing KQL from values: quoting a value and escaping a field name so that any string the
 * store holds becomes a clause that matches exactly it, and adding a filter-for / filter-out
 * clause to a query, which is what the field sidebar's buttons do. Pure, tested beside the file.
 */

/** A field value as the store returns it in `_source` and top-value lists. */
export type FieldValueLike = string | number | boolean | null;

/**
 * A value as KQL text: numbers and booleans bare, strings as a quoted phrase (escaping `"` and
 * `\`), which matches the exact value on keyword fields.
 *
 * @example
 * quoteValue('GET /a "b"'); // '"GET /a \\"b\\""'
 */
export function quoteValue(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

/**
 * A field name as KQL text: the characters KQL treats specially are escaped with `\`.
 *
 * @example
 * escapeField('labels.app:name'); // 'labels.app\\:name'
 */
export function escapeField(field: string): string {
  return field.replace(/[\\():<>"*{} ]/g, (c) => `\\${c}`);
}

/**
 * The clause that selects documents whose `field` has `value` (or, negated, does not). `null`
 * stands for "no value": filtering for it selects documents without the field.
 *
 * @example
 * filterClause('level', 'error', false); // 'level:"error"'
 * filterClause('level', null, false); // 'not level:*'
 */
export function filterClause(field: string, value: FieldValueLike, negate: boolean): string {
  const name = escapeField(field);
  if (value === null) return negate ? `${name}:*` : `not ${name}:*`;
  const clause = `${name}:${quoteValue(value)}`;
  return negate ? `not ${clause}` : clause;
}

/**
 * `query` narrowed by a filter clause. An existing query is kept whole: it is parenthesised when
 * it contains `or`, since `and` binds tighter. A clause that is already there is not added
 * twice, and filtering out what the query filters for (or the reverse) swaps the clause.
 *
 * @example
 * addFilter('level:"error" or level:"warn"', 'host', 'a', false);
 * // '(level:"error" or level:"warn") and host:"a"'
 */
export function addFilter(
  query: string,
  field: string,
  value: FieldValueLike,
  negate: boolean,
): string {
  const clause = filterClause(field, value, negate);
  const opposite = filterClause(field, value, !negate);
  const q = query.trim();
  if (q === '') return clause;
  const parts = splitTopLevelAnd(q);
  if (parts !== undefined) {
    if (parts.includes(clause)) return q;
    const i = parts.indexOf(opposite);
    if (i >= 0) {
      parts[i] = clause;
      return parts.join(' and ');
    }
  }
  return /\bor\b/i.test(q) ? `(${q}) and ${clause}` : `${q} and ${clause}`;
}

/**
 * The clauses of a query that is a plain chain of `and`s (no `or`, no parentheses, no quotes
 * containing ` and `), else undefined. Only used to find clauses that {@link addFilter} wrote.
 */
function splitTopLevelAnd(q: string): string[] | undefined {
  if (/[()]/.test(q) || /\bor\b/i.test(q)) return undefined;
  const parts = q.split(/\s+and\s+/i);
  return parts.every((p) => (p.match(/"/g)?.length ?? 0) % 2 === 0) ? parts : undefined;
}
