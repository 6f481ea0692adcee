/**
 * @module
 * A forgiving KQL tokenizer for the editor: it colours and completes text the user is still
 * typing, so unlike the server's parser it never fails; it only classifies spans. The server
 * stays the judge of what parses (its errors carry the position the editor underlines).
 *
 * Rules follow docs/kql.md: `and`, `or`, `not` are keywords in any case; `\` escapes the next
 * character in unquoted text; a word followed by `:` or a range operator is a field name; after
 * `field:` a `/…/` is a regular expression.
 */

export type KqlTokenType =
  'field' | 'value' | 'string' | 'regex' | 'keyword' | 'operator' | 'paren' | 'wildcard';

/** A span of the query; `from` inclusive, `to` exclusive, UTF-16 offsets. */
export interface KqlToken {
  type: KqlTokenType;
  from: number;
  to: number;
  text: string;
}

const KEYWORDS = new Set(['and', 'or', 'not']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isSpecial(c: string): boolean {
  return '():<>"{}'.includes(c) || isSpace(c);
}

/**
 * Splits `text` into tokens, skipping whitespace. Never throws: an unterminated string or
 * regex runs to the end.
 *
 * @example
 * tokenizeKql('level:error').map((t) => t.type); // ['field', 'operator', 'value']
 */
export function tokenizeKql(text: string): KqlToken[] {
  const out: KqlToken[] = [];
  const push = (type: KqlTokenType, from: number, to: number) =>
    out.push({ type, from, to, text: text.slice(from, to) });
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      push('string', start, Math.min(text.length, i + 1));
      i++;
      continue;
    }
    if ('(){}'.includes(c)) {
      push('paren', start, ++i);
      continue;
    }
    if (c === ':' || c === '<' || c === '>') {
      i += text[i + 1] === '=' && c !== ':' ? 2 : 1;
      push('operator', start, i);
      continue;
    }
    const prev = out[out.length - 1];
    if (c === '/' && prev?.type === 'operator' && prev.text === ':') {
      i++;
      while (i < text.length && text[i] !== '/') i += text[i] === '\\' ? 2 : 1;
      push('regex', start, Math.min(text.length, i + 1));
      i++;
      continue;
    }
    while (i < text.length && !isSpecial(text[i]!)) i += text[i] === '\\' ? 2 : 1;
    i = Math.min(i, text.length);
    const word = text.slice(start, i);
    let j = i;
    while (j < text.length && isSpace(text[j]!)) j++;
    const next = text[j];
    if (KEYWORDS.has(word.toLowerCase())) push('keyword', start, i);
    else if (next === ':' || next === '<' || next === '>') push('field', start, i);
    else if (word === '*') push('wildcard', start, i);
    else push('value', start, i);
  }
  return out;
}
