import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from './ast.js';
import { LuceneSyntaxError } from './errors.js';
import { type DefaultOperator, parseLucene } from './parse.js';

/** The clauses of a query as `<occur><text>`: `+a`, `-b`, `c` (should), nested in `( )`. */
function occurs(input: string, op: DefaultOperator = 'or'): string {
  const show = (n: Node): string => {
    const field = n.kind === 'bool' || n.field === undefined ? '' : `${n.field}:`;
    switch (n.kind) {
      case 'bool':
        return `(${n.clauses
          .map((c) => (c.occur === 'must' ? '+' : c.occur === 'must_not' ? '-' : '') + show(c.node))
          .join(' ')})`;
      case 'term':
        return `${field}${n.raw}`;
      case 'phrase':
        return `${field}"${n.text}"`;
      case 'range':
        return `${field}${n.lower.inclusive ? '[' : '{'}${n.lower.value ?? '*'},${n.upper.value ?? '*'}${n.upper.inclusive ? ']' : '}'}`;
      case 'regex':
        return `${field}/${n.pattern}/`;
    }
  };
  return show(parseLucene(input, op));
}

test("clause occurrences follow Lucene's addClause", () => {
  const f = (input: string, want: string, op: DefaultOperator = 'or') =>
    assert.equal(occurs(input, op), want, `${input} (${op})`);
  f('a b c', '(a b c)');
  f('a AND b', '(+a +b)');
  f('a AND b OR c', '(+a +b c)');
  f('a OR b AND c', '(a +b +c)');
  f('a AND NOT b', '(+a -b)');
  f('a OR NOT b', '(a -b)');
  f('+a -b c', '(+a -b c)');
  f('!a && b || c', '(-a +b c)');
  f('a b c', '(+a +b +c)', 'and');
  f('a OR b c', '(a b +c)', 'and');
  f('a b OR c', '(+a b c)', 'and');
  f('-a OR b', '(-a b)', 'and');
  f('f:(a b) g:"x y"', '((f:a f:b) g:"x y")');
  f('n:[1 TO 5} m:{* 3] p:>=2 q:<x', '(n:[1,5} m:{*,3] p:[2,*] q:[*,x})');
  f('n:[1 5]', '(n:[1,5])');
  f('a^2 (b c)^3 d~ e~2 "f g"~4', '(a (b c) d e "f g")');
  f('x:/a\\/b/', '(x:/a/b/)');
  f('ANDROID or and', '(ANDROID or and)');
  f('a&&b', '(a&&b)');
  f('', '()');
});

test('errors carry the line and column', () => {
  const f = (input: string, line: number, column: number, message: RegExp) => {
    assert.throws(
      () => parseLucene(input),
      (err: unknown) => {
        assert.ok(err instanceof LuceneSyntaxError);
        assert.equal(err.line, line, input);
        assert.equal(err.column, column, input);
        assert.match(err.message, message);
        return true;
      },
    );
  };
  f('a AND\n(b', 2, 2, /^Cannot parse 'a AND\n\(b': Encountered "<EOF>" at line 2, column 2\./);
  f('a:b)', 1, 4, /Encountered "\)" at line 1, column 4/);
  f('a:[1 TO 2', 1, 9, /Was expecting one of: "\]", "\}"/);
  f('"x', 1, 2, /Lexical error at line 1, column 2\. Encountered: <EOF>/);
  f('a:>', 1, 3, /Encountered "<EOF>"/);
});
