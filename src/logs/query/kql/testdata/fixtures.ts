/**
 * @module
 * Helpers for the `input ==> expected` fixtures beside this file. Trees are written as compact
 * s-expressions without spans: `(and (match "f" "v") (not (exists *["a",""])))`. Fields and values
 * print as JSON, wildcards as `*` before the JSON array of their parts, a missing field as `_`.
 */

import { readFileSync } from 'node:fs';
import { isWildcard, type FieldRef, type Node, type Scalar, type Wildcard } from '../ast.js';

function val(v: Scalar | Wildcard): string {
  return isWildcard(v) ? `*${JSON.stringify(v.parts)}` : JSON.stringify(v);
}

function fld(f: FieldRef | undefined): string {
  return f ? val(f.name) : '_';
}

/** The shape of `n`. */
export function shape(n: Node): string {
  switch (n.kind) {
    case 'all':
      return '(all)';
    case 'or':
    case 'and':
      return `(${n.kind} ${n.children.map(shape).join(' ')})`;
    case 'not':
      return `(not ${shape(n.child)})`;
    case 'match':
      return `(match ${fld(n.field)} ${val(n.value)})`;
    case 'phrase':
      return `(phrase ${fld(n.field)} ${JSON.stringify(n.value)})`;
    case 'range':
      return `(range ${fld(n.field)} ${n.op} ${val(n.value)})`;
    case 'exists':
      return `(exists ${fld(n.field)})`;
    case 'nested':
      return `(nested ${fld(n.path)} ${shape(n.query)})`;
    case 'regex':
      return `(regex ${fld(n.field)} ${JSON.stringify(n.pattern)})`;
  }
}

/** `input ==> expected` lines of a fixture file, with their line numbers. */
export function cases(file: string): { line: number; input: string; expected: string }[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  return text.split('\n').flatMap((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return [];
    const at = raw.indexOf(' ==> ');
    if (at < 0) throw new Error(`${file}:${i + 1}: no " ==> " in ${JSON.stringify(raw)}`);
    return [{ line: i + 1, input: raw.slice(0, at), expected: raw.slice(at + 5) }];
  });
}
