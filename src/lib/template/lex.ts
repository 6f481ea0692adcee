/**
 * @module
 * The lexer of Go's `text/template` syntax: text between actions, and the tokens inside
 * `{{ … }}` (with the `{{-`/`-}}` trim markers and `{{/* comments *\/}}`). Each token carries the
 * 1-based line it starts on, which every parse error names, as Go's errors do.
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly line: number;
}

/** A lexing or parsing problem at `line` of the template text. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'TemplateSyntaxError';
  }
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => /[\p{L}\p{N}_]/u.test(c);

/**
 * Splits `src` into tokens.
 *
 * @throws {TemplateSyntaxError} for an unclosed action, comment or string.
 * @example
 * lex('a {{ .x }}').map((t) => t.type); // ['text', 'leftDelim', 'space', 'field', 'space', 'rightDelim', 'eof']
 */
export function lex(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  const push = (type: TokenType, text: string) => {
    out.push({ type, text, line });
    for (const c of text) if (c === '\n') line++;
  };
  while (i < src.length) {
    let open = src.indexOf('{{', i);
    if (open < 0) open = src.length;
    let text = src.slice(i, open);
    const trimLeft =
      src.startsWith('{{- ', open) ||
      src.startsWith('{{-\t', open) ||
      src.startsWith('{{-\n', open);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text !== '') push('text', text);
    else for (const c of src.slice(i, open)) if (c === '\n') line++;
    if (open >= src.length) break;
    if (trimLeft && src[open + 3] === '\n') line++;
    i = open + (trimLeft ? 4 : 2);
    // A comment must follow the delimiter immediately (after the trim marker) and fill the action.
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new TemplateSyntaxError(line, 'unclosed comment');
      for (const c of src.slice(i, end)) if (c === '\n') line++;
      let j = end + 2;
      let trimRight = false;
      if (src.startsWith(' -}}', j)) {
        trimRight = true;
        j += 4;
      } else if (src.startsWith('}}', j)) j += 2;
      else throw new TemplateSyntaxError(line, 'comment ends before closing delimiter');
      i = trimRight ? skipSpace(src, j, () => line++) : j;
      continue;
    }
    push('leftDelim', '{{');
    i = lexAction(src, i, push, () => line);
  }
  out.push({ type: 'eof', text: '', line });
  return out;

  function lexAction(
    s: string,
    start: number,
    emit: (type: TokenType, text: string) => void,
    at: () => number,
  ): number {
    let j = start;
    for (;;) {
      if (j >= s.length) throw new TemplateSyntaxError(at(), 'unclosed action');
      if (isSpace(s[j]!) && s.startsWith('-}}', j + 1)) {
        emit('rightDelim', '}}');
        j += 4;
        return skipSpace(s, j, () => line++);
      }
      if (s.startsWith('}}', j)) {
        emit('rightDelim', '}}');
        return j + 2;
      }
      const c = s[j]!;
      if (isSpace(c)) {
        // Stop before a space that starts a ` -}}` trim marker, so the check above sees it.
        let k = j + 1;
        while (k < s.length && isSpace(s[k]!) && !s.startsWith('-}}', k + 1)) k++;
        emit('space', s.slice(j, k));
        j = k;
        continue;
      }
      if (c === '|') {
        emit('pipe', c);
        j++;
      } else if (c === '(') {
        emit('leftParen', c);
        j++;
      } else if (c === ')') {
        emit('rightParen', c);
        j++;
      } else if (c === ',') {
        emit('comma', c);
        j++;
      } else if (s.startsWith(':=', j)) {
        emit('declare', ':=');
        j += 2;
      } else if (c === '=') {
        emit('assign', '=');
        j++;
      } else if (c === '"') {
        let k = j + 1;
        while (k < s.length && s[k] !== '"') {
          if (s[k] === '\\') k++;
          if (s[k] === '\n' || k >= s.length)
            throw new TemplateSyntaxError(at(), 'unterminated quoted string');
          k++;
        }
        if (k >= s.length) throw new TemplateSyntaxError(at(), 'unterminated quoted string');
        emit('string', s.slice(j, k + 1));
        j = k + 1;
      } else if (c === '`') {
        const k = s.indexOf('`', j + 1);
        if (k < 0) throw new TemplateSyntaxError(at(), 'unterminated raw quoted string');
        emit('string', s.slice(j, k + 1));
        j = k + 1;
      } else if (c === '$') {
        let k = j + 1;
        while (k < s.length && isAlnum(s[k]!)) k++;
        emit('variable', s.slice(j, k));
        j = k;
      } else if (c === '.' && !/[0-9]/.test(s[j + 1] ?? '')) {
        let k = j + 1;
        while (k < s.length && isAlnum(s[k]!)) k++;
        emit(k === j + 1 ? 'dot' : 'field', s.slice(j, k));
        j = k;
      } else if (/[0-9+\-.]/.test(c)) {
        const m =
          /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)/.exec(
            s.slice(j),
          )!;
        if (m[0] === '' || m[0] === '+' || m[0] === '-' || isAlnum(s[j + m[0].length] ?? ' ')) {
          throw new TemplateSyntaxError(
            at(),
            `bad number syntax: ${JSON.stringify(s.slice(j, j + m[0].length + 1))}`,
          );
        }
        emit('number', m[0]);
        j += m[0].length;
      } else if (isAlnum(c)) {
        let k = j;
        while (k < s.length && isAlnum(s[k]!)) k++;
        const word = s.slice(j, k);
        emit(
          KEYWORDS.has(word)
            ? 'keyword'
            : word === 'true' || word === 'false'
              ? 'bool'
              : word === 'nil'
                ? 'nil'
                : 'identifier',
          word,
        );
        j = k;
      } else {
        throw new TemplateSyntaxError(at(), `unexpected ${JSON.stringify(c)} in command`);
      }
    }
  }
}

function skipSpace(s: string, j: number, onNewline: () => void): number {
  while (j < s.length && isSpace(s[j]!)) {
    if (s[j] === '\n') onNewline();
    j++;
  }
  return j;
}
