import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, parse } from './parser.contract.js';
import { ParseError, type Format } from './parser.js';

/** `body` must fail in `format` with exactly `want` (after the common prefix). */
function f(format: Format, body: string | Uint8Array, want: string): void {
  assert.equal(failure(format, body), `cannot parse exposition: ${want}`, JSON.stringify(body));
}

test('invalid input fails with the position and the offending token', () => {
  f(
    'text',
    'foo{a x="1"} 1\n',
    'line 1 col 7: expected "=" after label name, got "x" in line "foo{a x=\\"1\\"} 1"',
  );
  f(
    'text',
    'foo{a=1} 1\n',
    'line 1 col 7: expected quoted label value, got "1" in line "foo{a=1} 1"',
  );
  f(
    'text',
    'foo{a="1" 1} 1\n',
    'line 1 col 11: expected label name or "}", got "1" in line "foo{a=\\"1\\" 1} 1"',
  );
  f('text', 'foo{,} 1\n', 'line 1 col 5: expected label name or "}", got "," in line "foo{,} 1"');
  f(
    'text',
    'foo{a="1"}\n',
    'line 1 col 11: expected value, got end of line in line "foo{a=\\"1\\"}"',
  );
  f(
    'text',
    'foo 1 2 3\n',
    'line 1 col 9: expected end of line after timestamp, got "3" in line "foo 1 2 3"',
  );
  f('text', 'foo abc\n', 'line 1 col 5: invalid value "abc" in line "foo abc"');
  f('text', 'foo 0x1p3\n', 'line 1 col 5: invalid value "0x1p3" in line "foo 0x1p3"');
  f('text', 'foo 1_000\n', 'line 1 col 5: invalid value "1_000" in line "foo 1_000"');
  f('text', 'foo +nan\n', 'line 1 col 5: invalid value "+nan" in line "foo +nan"');
  f('text', 'foo 1e400\n', 'line 1 col 5: value "1e400" out of range in line "foo 1e400"');
  f(
    'text',
    'foo 1 -1\n',
    'line 1 col 7: expected timestamp or end of line, got "-1" in line "foo 1 -1"',
  );
  f(
    'text',
    'foo 1 1.5\n',
    'line 1 col 8: expected end of line after timestamp, got ".5" in line "foo 1 1.5"',
  );
  f(
    'text',
    'foo 1 99999999999999999999\n',
    'line 1 col 7: timestamp "99999999999999999999" out of range in line "foo 1 99999999999999999999"',
  );
  f(
    'text',
    '# TYPE foo bar\n',
    'line 1 col 12: invalid metric type "bar" in line "# TYPE foo bar"',
  );
  f(
    'text',
    '# TYPE foo counter \n',
    'line 1 col 12: invalid metric type "counter " in line "# TYPE foo counter "',
  );
  f(
    'text',
    '# TYPE foo gaugehistogram\n',
    'line 1 col 12: invalid metric type "gaugehistogram" in line "# TYPE foo gaugehistogram"',
  );
  f(
    'text',
    '# TYPE 1foo counter\n',
    'line 1 col 8: expected metric name after TYPE, got "1foo" in line "# TYPE 1foo counter"',
  );
  f('text', 'foo{a="x\n', 'line 1 col 7: unterminated quoted label value in line "foo{a=\\"x"');
  f(
    'text',
    '{"a"="b"} 1\n',
    'line 1 col 1: series has no metric name in line "{\\"a\\"=\\"b\\"} 1"',
  );
  f('text', 'foo{"bar"} 1\n', 'line 1 col 5: metric name already set in line "foo{\\"bar\\"} 1"');
  f('text', 'foo 1\r\n', 'line 1 col 5: invalid value "1\\r" in line "foo 1\\r"');
  f(
    'text',
    '}\n',
    'line 1 col 1: expected metric name, comment or blank line, got "}" in line "}"',
  );
  f(
    'text',
    'foo{a="b"}{c="d"} 1\n',
    'line 1 col 11: expected value, got "{" in line "foo{a=\\"b\\"}{c=\\"d\\"} 1"',
  );
  f(
    'text',
    'foo{a="b"\n} 1\n',
    'line 1 col 10: expected label name or "}", got end of line in line "foo{a=\\"b\\""',
  );
  f('text', '{""} 1\n', 'line 1 col 2: empty metric name in line "{\\"\\"} 1"');
  f('text', 'foo{""="x"} 1\n', 'line 1 col 5: empty label name in line "foo{\\"\\"=\\"x\\"} 1"');
  f(
    'text',
    'foo{a="\\\n"} 1\n',
    'line 1 col 9: line feed in quoted label value in line "foo{a=\\"\\\\"',
  );
  f(
    'text',
    '﻿foo 1\n',
    'line 1 col 1: expected metric name, comment or blank line, got "\\ufefffoo" in line "\\ufefffoo 1"',
  );
  f(
    'text',
    'm 1\n\nfoo{a="1",a="2"} 1\n',
    'line 3 col 11: duplicate label name "a" in line "foo{a=\\"1\\",a=\\"2\\"} 1"',
  );
  f(
    'text',
    'foo 1 2 \n',
    'line 1 col 8: expected end of line after timestamp, got "\\u00a0" in line "foo 1 2\\u00a0"',
  );
  f(
    'text',
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{a b} 1\n',
    'line 1 col 104: expected "=" after label name, got "b" in line "…xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{a b} 1"',
  );
  f(
    'text',
    'm{a="ü"} 1\nm{"ü" x} 1\n',
    'line 2 col 7: expected "=" after label name, got "x" in line "m{\\"ü\\" x} 1"',
  );
  f('openmetrics', 'foo 1\n', 'line 2 col 1: missing "# EOF" at end of input');
  f('openmetrics', 'foo 1', 'line 1 col 6: missing "# EOF" at end of input in line "foo 1"');
  f(
    'openmetrics',
    '# TYPE foo gauge',
    'line 1 col 17: missing "# EOF" at end of input in line "# TYPE foo gauge"',
  );
  f('openmetrics', '# EOF\nfoo 1\n', 'line 2 col 1: unexpected data after "# EOF" in line "foo 1"');
  f('openmetrics', '# EOF\n\n', 'line 2 col 1: unexpected data after "# EOF"');
  f('openmetrics', 'foo  1\n# EOF\n', 'line 1 col 5: expected value, got " " in line "foo  1"');
  f(
    'openmetrics',
    'foo 1 \n# EOF\n',
    'line 1 col 7: expected timestamp, got end of line in line "foo 1 "',
  );
  f(
    'openmetrics',
    'foo\t1\n# EOF\n',
    'line 1 col 4: expected " " before value, got "\\t" in line "foo\\t1"',
  );
  f(
    'openmetrics',
    'foo{a="b", c="d"} 1\n# EOF\n',
    'line 1 col 11: expected label name or "}", got " " in line "foo{a=\\"b\\", c=\\"d\\"} 1"',
  );
  f(
    'openmetrics',
    'foo{a="b"c="d"} 1\n# EOF\n',
    'line 1 col 10: expected "," or "}" after label value, got "c" in line "foo{a=\\"b\\"c=\\"d\\"} 1"',
  );
  f(
    'openmetrics',
    '\nfoo 1\n# EOF\n',
    'line 1 col 1: expected metric name, "# HELP", "# TYPE", "# UNIT" or "# EOF", got end of line',
  );
  f(
    'openmetrics',
    '  foo 1\n# EOF\n',
    'line 1 col 1: expected metric name, "# HELP", "# TYPE", "# UNIT" or "# EOF", got " " in line "  foo 1"',
  );
  f(
    'openmetrics',
    '# comment\n# EOF\n',
    'line 1 col 3: expected HELP, TYPE, UNIT or EOF, got "comment" in line "# comment"',
  );
  f(
    'openmetrics',
    '#TYPE foo gauge\n# EOF\n',
    'line 1 col 2: expected " " after "#", got "TYPE" in line "#TYPE foo gauge"',
  );
  f(
    'openmetrics',
    '# TYPE foo  gauge\n# EOF\n',
    'line 1 col 12: invalid metric type " gauge" in line "# TYPE foo  gauge"',
  );
  f(
    'openmetrics',
    '# TYPE foo untyped\n# EOF\n',
    'line 1 col 12: invalid metric type "untyped" in line "# TYPE foo untyped"',
  );
  f(
    'openmetrics',
    '# HELP foo\n# EOF\n',
    'line 1 col 11: expected " " after metric name, got end of line in line "# HELP foo"',
  );
  f('openmetrics', 'foo 1\r\n# EOF\n', 'line 1 col 5: invalid value "1\\r" in line "foo 1\\r"');
  f(
    'openmetrics',
    '# TYPE foo counter\nfoo 1\n# EOF\n',
    'line 2 col 1: sample "foo" does not fit counter metric family "foo": expected "foo_total" or "foo_created" in line "foo 1"',
  );
  f(
    'openmetrics',
    '# TYPE foo gauge\nfoo 1\n# TYPE bar gauge\nbar 1\nfoo 2\n# EOF\n',
    'line 5 col 1: metric family "foo" appears a second time: families must not be interleaved in line "foo 2"',
  );
  f(
    'openmetrics',
    '# TYPE foo counter\nfoo_total 1\n# TYPE bar gauge\nbar 1\nfoo_total 2\n# EOF\n',
    'line 5 col 1: sample "foo_total" belongs to counter metric family "foo", which appeared earlier: families must not be interleaved in line "foo_total 2"',
  );
  f(
    'openmetrics',
    '# TYPE foo counter\n# TYPE foo_total gauge\n# EOF\n',
    'line 2 col 8: metric family "foo_total" clashes with the samples of counter metric family "foo" in line "# TYPE foo_total gauge"',
  );
  f(
    'openmetrics',
    '# TYPE foo_total gauge\n# TYPE foo counter\n# EOF\n',
    'line 2 col 8: counter metric family "foo" clashes with gauge metric family "foo_total" in line "# TYPE foo counter"',
  );
  f(
    'openmetrics',
    '# UNIT foo seconds\n# EOF\n',
    'line 1 col 12: unit "seconds" is not a suffix of metric family name "foo" in line "# UNIT foo seconds"',
  );
  f(
    'openmetrics',
    '# HELP foo x\n# HELP foo y\n# EOF\n',
    'line 2 col 8: second # HELP line for metric family "foo" in line "# HELP foo y"',
  );
  f(
    'openmetrics',
    '# TYPE foo gauge\n# TYPE foo gauge\n# EOF\n',
    'line 2 col 8: second # TYPE line for metric family "foo" in line "# TYPE foo gauge"',
  );
  f(
    'openmetrics',
    '# TYPE foo gauge\nfoo 1\n# HELP foo x\n# EOF\n',
    'line 3 col 8: # HELP for metric family "foo" after its samples in line "# HELP foo x"',
  );
  f(
    'openmetrics',
    '# TYPE foo_info info\n# UNIT foo_info info\n# EOF\n',
    'line 2 col 8: info metric family "foo_info" cannot have a unit in line "# UNIT foo_info info"',
  );
  f(
    'openmetrics',
    'foo 1 NaN\n# EOF\n',
    'line 1 col 7: invalid timestamp "NaN" in line "foo 1 NaN"',
  );
  f(
    'openmetrics',
    'foo 1 ct@1\n# EOF\n',
    'line 1 col 7: invalid timestamp "ct@1" in line "foo 1 ct@1"',
  );
  f(
    'openmetrics',
    'foo 1 # {a="b"} 1 +Inf\n# EOF\n',
    'line 1 col 19: invalid exemplar timestamp "+Inf" in line "foo 1 # {a=\\"b\\"} 1 +Inf"',
  );
  f(
    'openmetrics',
    'foo 1 # {"a"} 1\n# EOF\n',
    'line 1 col 13: expected "=" after exemplar label name, got "}" in line "foo 1 # {\\"a\\"} 1"',
  );
  f(
    'openmetrics',
    'foo 1 # {a="b"}\n# EOF\n',
    'line 1 col 16: expected " " before exemplar value, got end of line in line "foo 1 # {a=\\"b\\"}"',
  );
  f(
    'openmetrics',
    'foo 1 # {a="b"} 1 2 3\n# EOF\n',
    'line 1 col 20: expected line feed, got " " in line "foo 1 # {a=\\"b\\"} 1 2 3"',
  );
  f(
    'openmetrics',
    'foo 1 #{a="b"} 1\n# EOF\n',
    'line 1 col 7: invalid timestamp "#{a=\\"b\\"}" in line "foo 1 #{a=\\"b\\"} 1"',
  );
  f(
    'openmetrics',
    'foo{a="x\ny"} 1\n# EOF\n',
    'line 1 col 9: line feed in quoted label value in line "foo{a=\\"x"',
  );
  f(
    'openmetrics',
    'foo{abc} 1\n# EOF\n',
    'line 1 col 8: expected "=" after label name, got "}" in line "foo{abc} 1"',
  );
  f(
    'openmetrics',
    '{a="b"} 1\n# EOF\n',
    'line 1 col 1: series has no metric name in line "{a=\\"b\\"} 1"',
  );
});

test('invalid UTF-8 fails in strings that must be valid, and passes in comments', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  f(
    'text',
    bytes('m{a="x', [0xff], '"} 1\n'),
    'line 1 col 5: invalid UTF-8 in quoted label value in line "m{a=\\"x\ufffd\\"} 1"',
  );
  f(
    'text',
    bytes('{"', [0xc3, 0x28], '"} 1\n'),
    'line 1 col 2: invalid UTF-8 in quoted label name in line "{\\"\ufffd(\\"} 1"',
  );
  f(
    'text',
    bytes('# HELP m ', [0xed, 0xa0, 0x80], '\n'),
    'line 1 col 10: invalid UTF-8 in HELP text in line "# HELP m \ufffd\ufffd\ufffd"',
  );
  f(
    'openmetrics',
    bytes('# HELP m ', [0xf4, 0x90, 0x80, 0x80], '\n# EOF\n'),
    'line 1 col 10: invalid UTF-8 in HELP text in line "# HELP m \ufffd\ufffd\ufffd\ufffd"',
  );
  assert.equal(failure('text', bytes('# comment ', [0xff], '\nm{a="ü"} 1\n')), 'no error');
});

test('a ParseError carries its parts', () => {
  const p = parse('text', 'ok 1\nm{a="1" b=2} 1\n');
  assert.equal(p.next(), 'series');
  try {
    p.next();
    assert.fail('no error');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.name, 'ParseError');
    assert.equal(err.line, 2);
    assert.equal(err.column, 11);
    assert.equal(err.offset, 15);
    assert.equal(err.detail, 'expected quoted label value, got "2"');
    assert.equal(err.snippet, 'm{a="1" b=2} 1');
  }
});
