/**
 * @module
 * What the KQL editor should offer at the cursor: field names where a clause starts, values of
 * the field after `field:` (also inside `field:(a or …)`), and the boolean keywords after a
 * finished clause. Pure, so the rules are tested beside the file.
 */
import { tokenizeKql, type KqlToken } from './tokens';

export type CompletionPlace =
  | { kind: 'field'; from: number; prefix: string }
  | { kind: 'value'; field: string; from: number; prefix: string; quoted: boolean }
  | { kind: 'keyword'; from: number; prefix: string }
  | { kind: 'none' };

/**
 * The completion place at `pos` in `text`: `from` is where the word being typed starts (the
 * completion replaces `from..pos`), `prefix` what is typed of it so far.
 *
 * @example
 * completionPlace('level:er', 8); // { kind: 'value', field: 'level', from: 6, prefix: 'er', quoted: false }
 */
export function completionPlace(text: string, pos: number): CompletionPlace {
  const tokens = tokenizeKql(text.slice(0, pos));
  let current: KqlToken | undefined = tokens[tokens.length - 1];
  // The word under the cursor, if the cursor touches its end; else an empty word at `pos`.
  if (current !== undefined && (current.to !== pos || !isWordish(current))) current = undefined;
  const before = current === undefined ? tokens : tokens.slice(0, -1);
  const from = current?.from ?? pos;
  const prefix = current?.text ?? '';
  const quoted = current?.type === 'string';

  // Fields whose value list `field:( … )` encloses the cursor.
  const groups: (string | undefined)[] = [];
  for (let i = 0; i < before.length; i++) {
    const t = before[i]!;
    if (t.type === 'paren' && (t.text === '(' || t.text === '{')) {
      const op = before[i - 1];
      const field = before[i - 2];
      groups.push(
        op?.text === ':' && field?.type === 'field' && t.text === '(' ? field.text : undefined,
      );
    } else if (t.type === 'paren') groups.pop();
  }
  const group = groups[groups.length - 1];
  const prev = before[before.length - 1];

  if (prev?.type === 'operator' && prev.text === ':') {
    const field = before[before.length - 2];
    if (field?.type === 'field') {
      return { kind: 'value', field: unescapeField(field.text), from, prefix, quoted };
    }
    return { kind: 'none' };
  }
  if (prev?.type === 'operator') return { kind: 'none' }; // a range bound: no suggestions
  if (group !== undefined && (prev?.text === '(' || prev?.type === 'keyword')) {
    return { kind: 'value', field: unescapeField(group), from, prefix, quoted };
  }
  if (
    prev === undefined ||
    prev.type === 'keyword' ||
    (prev.type === 'paren' && (prev.text === '(' || prev.text === '{'))
  ) {
    return quoted ? { kind: 'none' } : { kind: 'field', from, prefix };
  }
  // After a finished clause and a space: and / or.
  if (
    current === undefined
      ? pos > prev.to && /\s$/.test(text.slice(0, pos))
      : current.type === 'value' && current.from > prev.to
  ) {
    return { kind: 'keyword', from, prefix };
  }
  return { kind: 'none' };
}

function isWordish(t: KqlToken): boolean {
  return t.type === 'value' || t.type === 'field' || t.type === 'keyword' || t.type === 'string';
}

function unescapeField(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
