/**
 * The contract both formats' parsers keep, run by `prom.test.ts` and `openmetrics.test.ts`:
 * bodies written the way both formats allow (one space between tokens, types named alike) must
 * read the same. `collect` prints a body's entries one per line, which the format tests use too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, NORMAL_NAN, ParseError, type Format, type Parser } from './parser.js';

const CONTENT_TYPE: Record<Format, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export function parse(format: Format, body: string | Uint8Array): Parser {
  return createParser(body, CONTENT_TYPE[format]);
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Object.is(v, -0) ? '-0' : String(v);
}

/** A guess for series k: its text in some body, or null for none. */
type Guess = (k: number) => [bytes: Uint8Array, start: number, end: number] | null;

/** The entries of `body` as {@link collect} prints them, guessing with `guess` when given. */
function read(
  format: Format,
  body: string | Uint8Array,
  guess: Guess | null,
  spans: [number, number][] = [],
): string[] {
  const p = parse(format, body);
  const out: string[] = [];
  const next = () => {
    const g = guess?.(spans.length) ?? null;
    return g === null ? p.next() : p.next(...g);
  };
  for (let kind = next(); kind !== null; kind = next()) {
    switch (kind) {
      case 'series': {
        assert.equal(
          Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length).toString(
            'utf8',
            p.seriesStart(),
            p.seriesEnd(),
          ),
          p.series(),
          'series bytes and series text differ',
        );
        const g = guess?.(spans.length) ?? null;
        if (g === null) assert.equal(p.isExpected(), false);
        else if (p.isExpected())
          assert.ok(
            Buffer.from(g[0].subarray(g[1], g[2])).equals(
              p.bytes.subarray(p.seriesStart(), p.seriesEnd()),
            ),
          );
        spans.push([p.seriesStart(), p.seriesEnd()]);
        const ts = p.timestamp();
        const ex = p.exemplar();
        out.push(
          `series ${p.series()} ${p.labels().toString()} ${num(p.value())}` +
            (ts === null ? '' : ` @${ts}`) +
            (ex === null
              ? ''
              : ` # ${ex.labels.toString()} ${num(ex.value)}` +
                (ex.timestamp === null ? '' : ` @${ex.timestamp}`)),
        );
        break;
      }
      case 'type':
        out.push(`type ${p.type().join(' ')}`);
        break;
      case 'help':
        out.push(`help ${p.help()[0]} ${JSON.stringify(p.help()[1])}`);
        break;
      case 'unit':
        out.push(`unit ${p.unit().join(' ')}`);
        break;
      case 'comment':
        out.push(`comment ${JSON.stringify(p.comment())}`);
        break;
      case 'eof':
        out.push('eof');
        break;
    }
  }
  return out;
}

/**
 * Every entry of `body`, one line each: `series <text> <labels> <value>[ @<ms>][ # <exemplar>]`,
 * `type <name> <type>`, `help <name> <text as JSON>`, `unit <name> <unit>`, `comment <JSON>`,
 * `eof`. It also reads the body again guessing every series right (its text in the first
 * reading's bytes) and guessing every series wrong (the next one's text), and checks that
 * guesses change nothing.
 */
export function collect(format: Format, body: string | Uint8Array): string[] {
  const spans: [number, number][] = [];
  const out = read(format, body, null, spans);
  const bytes = parse(format, body).bytes;
  const at = (k: number) => (k < spans.length ? [bytes, ...spans[k]!] : null) as ReturnType<Guess>;
  assert.deepEqual(read(format, body, at), out, 'guessing right changed the entries');
  assert.deepEqual(
    read(format, body, (k) => at(k + 1)),
    out,
    'guessing wrong changed the entries',
  );
  return out;
}

/** The error `body` fails with: its message, or 'no error'. */
export function failure(format: Format, body: string | Uint8Array): string {
  try {
    collect(format, body);
  } catch (err) {
    if (err instanceof ParseError) return err.message;
    throw err;
  }
  return 'no error';
}

/** Runs the shared cases against `format`. */
export function runParserContract(format: Format): void {
  const om = format === 'openmetrics';
  /** The body in `format`: OpenMetrics ends with `# EOF`. */
  const body = (lines: string) => (om ? `${lines}# EOF\n` : lines);
  const tail = om ? ['eof'] : [];
  const f = (lines: string, want: string[]) =>
    assert.deepEqual(collect(format, body(lines)), [...want, ...tail]);

  test(`${format}: series, labels sorted, metadata`, () => {
    f(
      '# TYPE up gauge\n# HELP up Whether the target is up.\nup{job="node",instance="a:9100"} 1\nup{job="x"} 0\n',
      [
        'type up gauge',
        'help up "Whether the target is up."',
        'series up{job="node",instance="a:9100"} {__name__="up", instance="a:9100", job="node"} 1',
        'series up{job="x"} {__name__="up", job="x"} 0',
      ],
    );
    f('no_labels 3.5\nempty_braces{} -2\n', [
      'series no_labels {__name__="no_labels"} 3.5',
      'series empty_braces{} {__name__="empty_braces"} -2',
    ]);
  });

  test(`${format}: label value escapes; empty values drop out`, () => {
    f('m{a="q\\"b\\\\s\\nn\\t",b=""} 1\n', [
      'series m{a="q\\"b\\\\s\\nn\\t",b=""} {__name__="m", a="q\\"b\\\\s\\nn\\\\t"} 1',
    ]);
    f('m{a="ünï ☃ 😀"} 1\n', ['series m{a="ünï ☃ 😀"} {__name__="m", a="ünï ☃ 😀"} 1']);
  });

  test(`${format}: special and odd values read as Go reads them`, () => {
    f('a NaN\nb +Inf\nc -Inf\nd Inf\ne -infinity\nf 1e3\ng .5\nh 5.\ni -0\nj 0042\n', [
      'series a {__name__="a"} NaN',
      'series b {__name__="b"} +Inf',
      'series c {__name__="c"} -Inf',
      'series d {__name__="d"} +Inf',
      'series e {__name__="e"} -Inf',
      'series f {__name__="f"} 1000',
      'series g {__name__="g"} 0.5',
      'series h {__name__="h"} 5',
      'series i {__name__="i"} -0',
      'series j {__name__="j"} 42',
    ]);
  });

  test(`${format}: NaN has Go's bits`, () => {
    const p = parse(format, body('a NaN\n'));
    assert.equal(p.next(), 'series');
    const slot = new Float64Array(1);
    slot[0] = p.value();
    assert.equal(new BigUint64Array(slot.buffer)[0], 0x7ff8000000000001n);
    slot[0] = NORMAL_NAN;
    assert.equal(new BigUint64Array(slot.buffer)[0], 0x7ff8000000000001n);
  });

  test(`${format}: quoted UTF-8 metric and label names`, () => {
    f('{"my.metric","a.b"="c"} 1\nfoo{"ü"="v"} 2\n{"x\\"y"} 3\n', [
      'series {"my.metric","a.b"="c"} {__name__="my.metric", a.b="c"} 1',
      'series foo{"ü"="v"} {__name__="foo", ü="v"} 2',
      'series {"x\\"y"} {__name__="x\\"y"} 3',
    ]);
    f('# TYPE "my.metric" gauge\n{"my.metric"} 1\n', [
      'type my.metric gauge',
      'series {"my.metric"} {__name__="my.metric"} 1',
    ]);
  });

  test(`${format}: a trailing comma is allowed`, () => {
    f('m{a="1",} 1\n{"q",} 2\n', [
      'series m{a="1",} {__name__="m", a="1"} 1',
      'series {"q",} {__name__="q"} 2',
    ]);
  });

  test(`${format}: help text unescapes backslashes and line feeds`, () => {
    f('# HELP m a\\\\b\\nc\n', ['help m "a\\\\b\\nc"']);
    f('# HELP m \n', ['help m ""']);
  });

  test(`${format}: le and quantile values are normalized as Prometheus does`, () => {
    f('# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="0.5e1"} 0\nh_bucket{le="+inf"} 0\n', [
      'type h histogram',
      'series h_bucket{le="1"} {__name__="h_bucket", le="1.0"} 0',
      'series h_bucket{le="0.5e1"} {__name__="h_bucket", le="5.0"} 0',
      'series h_bucket{le="+inf"} {__name__="h_bucket", le="+Inf"} 0',
    ]);
    f('# TYPE s summary\ns{quantile="0.50"} 0\ns{quantile="1e-5"} 0\n', [
      'type s summary',
      'series s{quantile="0.50"} {__name__="s", quantile="0.5"} 0',
      'series s{quantile="1e-5"} {__name__="s", quantile="1e-05"} 0',
    ]);
    f('# TYPE g gauge\ng{le="1"} 0\n', [
      'type g gauge',
      'series g{le="1"} {__name__="g", le="1"} 0',
    ]);
  });

  test(`${format}: the series text is the exact input slice`, () => {
    const p = parse(format, body('m{b="2",a="1"} 1\n'));
    assert.equal(p.next(), 'series');
    assert.equal(p.series(), 'm{b="2",a="1"}');
  });

  test(`${format}: byte and string bodies read alike`, () => {
    const text = body('m{a="ü"} 1\n');
    assert.deepEqual(collect(format, new TextEncoder().encode(text)), collect(format, text));
  });

  test(`${format}: a duplicate label name fails in labels()`, () => {
    for (const [lines, col] of [
      ['m{a="1",a="2"} 1\n', 9],
      ['m{__name__="x"} 1\n', 3],
    ] as const) {
      const p = parse(format, body(lines));
      assert.equal(p.next(), 'series');
      assert.equal(p.value(), 1);
      assert.throws(
        () => p.labels(),
        (e: unknown) => e instanceof ParseError && e.line === 1 && e.column === col,
      );
    }
  });

  test(`${format}: accessors refuse the wrong entry kind; errors stick`, () => {
    const p = parse(format, body('# TYPE m gauge\nm{ 1\n'));
    assert.equal(p.next(), 'type');
    assert.throws(() => p.value(), /cannot read series: the current entry is type/);
    assert.throws(() => p.next(), ParseError);
    assert.throws(() => p.next(), ParseError);
    assert.throws(() => p.type(), /the current entry is none/);
    const done = parse(format, body('m 1\n'));
    while (done.next() !== null);
    assert.throws(() => done.value(), /the current entry is none/);
  });
}
