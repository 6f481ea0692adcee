/**
 * @module
 * Replacement templates of relabel rules (`target_label`, `replacement`), expanded the way Go's
 * `regexp.Expand` does, because that is what Prometheus calls: `$$` is a literal `$`; `$name` takes
 * the longest run of letters, digits and `_` as the name, so `$1x` names a group `1x` (which
 * does not exist and expands to nothing) — write `${1}x` for group 1 followed by `x`; a name of
 * only digits without a leading zero is a group number, any other name a named group; a `$` that
 * starts no valid reference (`$-`, `${1`, a trailing `$`) stays a literal `$`. A template is parsed
 * once, when the configuration is loaded, so a rule costs no parsing per series.
 */

/** A literal piece, a group number, or a group name. */
export type TemplatePart = string | number | { readonly name: string };

export interface Template {
  readonly parts: readonly TemplatePart[];
  /** False when the template has no references: it expands to itself. */
  readonly hasRefs: boolean;
}

/** Go's `unicode.IsLetter || unicode.IsDigit || '_'`, the characters of a reference name. */
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go gives up on numbers from 1e8 on and treats them as names, which never match. */
const MAX_GROUP_NUMBER = 1e8;

function nameEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (!NAME_CHAR.test(String.fromCodePoint(cp))) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

function reference(name: string): TemplatePart {
  if (/^(?:0|[1-9]\d*)$/.test(name)) {
    const n = Number(name);
    if (n < MAX_GROUP_NUMBER) return n;
  }
  return { name };
}

/**
 * Parses a template.
 *
 * @example
 * compileTemplate('${1}x-$name').parts; // [1, 'x-', { name: 'name' }]
 */
export function compileTemplate(text: string): Template {
  const parts: TemplatePart[] = [];
  let literal = '';
  let hasRefs = false;
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, dollar);
    i = dollar + 1;
    if (text[i] === '$') {
      literal += '$';
      i++;
      continue;
    }
    const brace = text[i] === '{';
    const start = brace ? i + 1 : i;
    const end = nameEnd(text, start);
    if (end === start || (brace && text[end] !== '}')) {
      literal += '$';
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(reference(text.slice(start, end)));
    hasRefs = true;
    i = brace ? end + 1 : end;
  }
  if (literal !== '') parts.push(literal);
  return { parts, hasRefs };
}

/**
 * Expands a template with a match; a group that does not exist or did not take part expands to
 * nothing.
 *
 * @example
 * expandTemplate(compileTemplate('$2:$1'), /(a)(b)/.exec('ab')!); // 'b:a'
 */
export function expandTemplate(
  template: Template,
  match: ArrayLike<string | undefined> & { groups?: Record<string, string | undefined> },
): string {
  const { parts } = template;
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (typeof part === 'number') out += match[part] ?? '';
    else out += match.groups?.[part.name] ?? '';
  }
  return out;
}
