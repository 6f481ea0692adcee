/**
 * @module
 * Prints a KQL tree as canonical KQL: lower-case keywords, single spaces, parentheses only where
 * the tree needs them, value lists expanded (`f:(a or b)` prints as `f:a or f:b`), and escapes
 * only where the parser would otherwise read something else. The output parses back to the same
 * tree, spans aside.
 */

import {
  isWildcard,
  type FieldRef,
  type Node,
  type RangeOp,
  type Scalar,
  type Wildcard,
} from './ast.js';

const OPS: Record<RangeOp, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/**
 * Prints `node` as KQL.
 *
 * @example
 * print(parse('NOT  a AND (b OR c)')); // 'not a and (b or c)'
 */
export function print(node: Node): string {
  switch (node.kind) {
    case 'all':
      return '';
    case 'or':
      return node.children.map((c) => (c.kind === 'or' ? `(${print(c)})` : print(c))).join(' or ');
    case 'and':
      return node.children
        .map((c) => (c.kind === 'or' || c.kind === 'and' ? `(${print(c)})` : print(c)))
        .join(' and ');
    case 'not': {
      const c = node.child;
      const inner = print(c);
      return c.kind === 'or' || c.kind === 'and' || c.kind === 'not'
        ? `not (${inner})`
        : `not ${inner}`;
    }
    case 'match':
      return withField(node.field, value(node.value));
    case 'phrase':
      return withField(node.field, quote(node.value));
    case 'range':
      return `${field(node.field)} ${OPS[node.op]} ${value(node.value)}`;
    case 'exists':
      return `${field(node.field)}:*`;
    case 'nested':
      return `${field(node.path)}:{ ${print(node.query)} }`;
    case 'regex':
      return withField(node.field, `/${node.pattern.replace(/\//g, '\\/')}/`);
  }
}

function withField(f: FieldRef | undefined, v: string): string {
  return f ? `${field(f)}:${v}` : v;
}

function field(f: FieldRef): string {
  const name = f.name;
  if (isWildcard(name)) return pattern(name);
  return name === '' || name.trim() !== name ? quote(name) : unquoted(name);
}

function value(v: Scalar | Wildcard): string {
  if (isWildcard(v)) return pattern(v);
  if (typeof v !== 'string') return String(v);
  // Range values read the same quoted or not; match values that would not survive unquoted
  // (empty, padded) cannot come out of the parser.
  return v === '' || v.trim() !== v || v === 'true' || v === 'false' || v === 'null'
    ? quote(v)
    : unquoted(v);
}

function pattern(w: Wildcard): string {
  return w.parts.map(unquoted).join('*');
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

const SPECIAL = '\\():<>"*{}';
const CONTROL: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

/** Escapes `s` for an unquoted literal: special characters, control whitespace, keywords. */
function unquoted(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const rest = s.slice(i);
    const afterSpace = i > 0 && /[ \u00a0]/.test(s.charAt(i - 1));
    // A keyword ends the literal: `not` before whitespace anywhere, `and`/`or` between spaces.
    const kw =
      /^not(?=[ \u00a0])/i.exec(rest) ??
      (afterSpace ? /^(?:and|or)(?=[ \u00a0])/i.exec(rest) : null);
    if (kw) {
      // `\not` would read as `\n` + `ot`, so a lower-case `n` is escaped by its code instead.
      out += kw[0].startsWith('n') ? `\\u006e${kw[0].slice(1)}` : `\\${kw[0]}`;
      i += kw[0].length - 1;
    } else if (SPECIAL.includes(ch)) out += `\\${ch}`;
    else out += CONTROL[ch] ?? ch;
  }
  // A leading `/` could start our regex extension; the \u escape keeps it a plain character.
  return out.startsWith('/') ? `\\u002f${out.slice(1)}` : out;
}
