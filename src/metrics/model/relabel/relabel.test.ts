import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Labels } from '../labels.js';
import { relabelConfigsSchema } from './config.js';
import { relabel } from './relabel.js';

type Rec = Record<string, string>;

/** Relabels `input` with `rules` (YAML-shaped) and compares with `want` (null: dropped). */
function f(input: Rec, rules: unknown[], want: Rec | null): void {
  const got = relabel(Labels.fromRecord(input), relabelConfigsSchema.parse(rules));
  assert.deepEqual(got === null ? null : got.toRecord(), want, JSON.stringify(rules));
}

test('replace: the documented defaults copy the joined source values to target_label', () => {
  f({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], target_label: 'c' }], {
    a: 'x',
    b: 'y',
    c: 'x;y',
  });
  f({ a: 'x', b: 'y' }, [{ source_labels: ['a', 'b'], separator: '/', target_label: 'c' }], {
    a: 'x',
    b: 'y',
    c: 'x/y',
  });
  f({ a: 'x' }, [{ source_labels: ['a', 'b'], separator: '', target_label: 'c' }], {
    a: 'x',
    c: 'x',
  });
});

test('replace: missing source labels read as empty strings', () => {
  f({ a: 'x' }, [{ source_labels: ['missing', 'a'], target_label: 'c' }], { a: 'x', c: ';x' });
  f({ a: 'x' }, [{ source_labels: ['missing'], regex: '', target_label: 'c', replacement: 'e' }], {
    a: 'x',
    c: 'e',
  });
  // No source labels: the value is '', so a fixed replacement sets a constant label.
  f({ a: 'x' }, [{ target_label: 'env', replacement: 'prod' }], { a: 'x', env: 'prod' });
});

test('replace: groups, named groups and Go template rules', () => {
  const input = { __address__: 'db-1.example.org:9100' };
  const rule = (replacement: string, regex = '([^.]+)\\.(?P<domain>[^:]+):(\\d+)') => [
    { source_labels: ['__address__'], regex, target_label: 'out', replacement },
  ];
  const out = (v: string | null) => (v === null ? input : { ...input, out: v });
  f(input, rule('$1'), out('db-1'));
  f(input, rule('${1}x'), out('db-1x'));
  f(input, rule('$1x'), out(null));
  f(input, rule('$3'), out('9100'));
  f(input, rule('${domain}/$2'), out('example.org/example.org'));
  f(input, rule('$domain'), out('example.org'));
  f(input, rule('$9'), out(null));
  f(input, rule('$01'), out(null));
  f(input, rule('$0'), out('db-1.example.org:9100'));
  f(input, rule('$$1 costs $'), out('$1 costs $'));
  f(input, rule('a$-b ${1'), out('a$-b ${1'));
  f(input, rule('host=$1', '(?P<host>.*)'), out('host=db-1.example.org:9100'));
});

test('replace: the regex is anchored at both ends', () => {
  f({ a: 'foobar' }, [{ source_labels: ['a'], regex: 'foo', target_label: 'b' }], { a: 'foobar' });
  f({ a: 'foobar' }, [{ source_labels: ['a'], regex: 'bar', target_label: 'b' }], { a: 'foobar' });
  f({ a: 'foobar' }, [{ source_labels: ['a'], regex: 'foo(.*)', target_label: 'b' }], {
    a: 'foobar',
    b: 'bar',
  });
  f({ a: 'x|y' }, [{ source_labels: ['a'], regex: 'x|y', target_label: 'b' }], { a: 'x|y' });
  f({ a: 'line1\nline2' }, [{ source_labels: ['a'], regex: 'line1.(.*)', target_label: 'b' }], {
    a: 'line1\nline2',
    b: 'line2',
  });
});

test('replace: no match leaves the target as it was', () => {
  f({ a: 'x', b: 'keep' }, [{ source_labels: ['a'], regex: 'y', target_label: 'b' }], {
    a: 'x',
    b: 'keep',
  });
});

test('replace: an empty result deletes the target label', () => {
  f({ a: 'x', b: 'old' }, [{ source_labels: ['missing'], target_label: 'b' }], { a: 'x' });
  f({ a: 'x', b: 'old' }, [{ source_labels: ['a'], target_label: 'b', replacement: '' }], {
    a: 'x',
  });
});

test('replace: target_label templates; an empty expanded name sets nothing', () => {
  f(
    { k: 'env=prod' },
    [{ source_labels: ['k'], regex: '(\\w+)=(\\w+)', target_label: '$1', replacement: '$2' }],
    {
      k: 'env=prod',
      env: 'prod',
    },
  );
  f(
    { k: '=prod' },
    [{ source_labels: ['k'], regex: '(\\w*)=(\\w+)', target_label: '$1', replacement: '$2' }],
    {
      k: '=prod',
    },
  );
  // Prometheus 3 accepts any non-empty UTF-8 name, where 2.x required [a-zA-Z_][a-zA-Z0-9_]*.
  f({ k: 'ünï.code' }, [{ source_labels: ['k'], target_label: '$1', replacement: 'v' }], {
    k: 'ünï.code',
    'ünï.code': 'v',
  });
});

test('__tmp labels carry values between rules and stay until removed', () => {
  f(
    { __address__: 'h:80' },
    [
      { source_labels: ['__address__'], regex: '(.*):.*', target_label: '__tmp_host' },
      { source_labels: ['__tmp_host'], target_label: 'host', replacement: 'node-$1' },
      { action: 'labeldrop', regex: '__tmp_.*' },
    ],
    { __address__: 'h:80', host: 'node-h' },
  );
});

test('keep and drop', () => {
  const rules = (action: string) => [{ action, source_labels: ['env', 'team'], regex: 'prod;.*' }];
  f({ env: 'prod', team: 'a' }, rules('keep'), { env: 'prod', team: 'a' });
  f({ env: 'dev', team: 'a' }, rules('keep'), null);
  f({ env: 'prod', team: 'a' }, rules('drop'), null);
  f({ env: 'dev', team: 'a' }, rules('drop'), { env: 'dev', team: 'a' });
  f({ env: 'prod' }, [{ action: 'keep', source_labels: ['env'], regex: 'pro' }], null);
  f({ a: 'x' }, [{ action: 'keep', source_labels: ['missing'], regex: '' }], { a: 'x' });
  f({ a: 'x' }, [{ action: 'drop', source_labels: ['missing'] }], null);
  f({ a: 'api' }, [{ action: 'keep', source_labels: ['a'], regex: 'web|api|db' }], { a: 'api' });
  f({ a: 'API' }, [{ action: 'keep', source_labels: ['a'], regex: '(?i)web|api' }], { a: 'API' });
});

test('keepequal and dropequal compare the source value with target_label', () => {
  const input = { a: 'x', b: 'x', c: 'y' };
  f(input, [{ action: 'keepequal', source_labels: ['a'], target_label: 'b' }], input);
  f(input, [{ action: 'keepequal', source_labels: ['a'], target_label: 'c' }], null);
  f(input, [{ action: 'dropequal', source_labels: ['a'], target_label: 'b' }], null);
  f(input, [{ action: 'dropequal', source_labels: ['a'], target_label: 'c' }], input);
  // Absent labels are '' on both sides.
  f(input, [{ action: 'keepequal', source_labels: ['m'], target_label: 'n' }], input);
  f(input, [{ action: 'keepequal', source_labels: ['a', 'c'], target_label: 'j' }], null);
  f(
    { ...input, j: 'x;y' },
    [{ action: 'keepequal', source_labels: ['a', 'c'], target_label: 'j' }],
    {
      ...input,
      j: 'x;y',
    },
  );
});

test('hashmod: md5, last 8 bytes big-endian, modulo modulus', () => {
  // Expected values from Python's hashlib on the same bytes.
  const cases: [string, number, string][] = [
    ['foo', 1000, '696'],
    ['', 7, '1'],
    ['127.0.0.1:9100', 3, '1'],
    ['ünïcødé', 97, '53'],
    ['x', 2 ** 53 - 1, '2346693179502420'],
  ];
  for (const [value, modulus, want] of cases) {
    const input: Rec = value === '' ? { other: 'o' } : { v: value };
    f(input, [{ action: 'hashmod', source_labels: ['v'], modulus, target_label: 's' }], {
      ...input,
      s: want,
    });
  }
  f(
    { a: 'foo', b: 'bar' },
    [{ action: 'hashmod', source_labels: ['a', 'b'], modulus: 1000, target_label: 's' }],
    {
      a: 'foo',
      b: 'bar',
      s: '750',
    },
  );
});

test('labelmap copies matching labels under the replacement name', () => {
  f(
    { __meta_kubernetes_pod_label_app: 'web', __meta_kubernetes_pod_label_tier: 'fe', job: 'j' },
    [{ action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' }],
    {
      __meta_kubernetes_pod_label_app: 'web',
      __meta_kubernetes_pod_label_tier: 'fe',
      app: 'web',
      job: 'j',
      tier: 'fe',
    },
  );
  f(
    { foo_a: '1', foo_b: '2', bar: '3' },
    [{ action: 'labelmap', regex: 'foo_(.*)', replacement: 'mapped_${1}_x' }],
    { foo_a: '1', foo_b: '2', bar: '3', mapped_a_x: '1', mapped_b_x: '2' },
  );
  // The rule sees the labels as they were when it started: a created label is not mapped again.
  f({ aa: '1' }, [{ action: 'labelmap', regex: 'a(.*)', replacement: '$1' }], { aa: '1', a: '1' });
  // A name expanding to '' is skipped.
  f({ a: '1' }, [{ action: 'labelmap', regex: 'a(.*)', replacement: '$1' }], { a: '1' });
  // A mapped label overwrites an existing one.
  f({ x_a: 'new', a: 'old' }, [{ action: 'labelmap', regex: 'x_(.*)' }], { x_a: 'new', a: 'new' });
});

test('labeldrop and labelkeep match label names', () => {
  const input = { __name__: 'up', job: 'j', instance: 'i', pod_a: '1', pod_b: '2' };
  f(input, [{ action: 'labeldrop', regex: 'pod_.*' }], { __name__: 'up', job: 'j', instance: 'i' });
  f(input, [{ action: 'labelkeep', regex: '__name__|job|pod_a' }], {
    __name__: 'up',
    job: 'j',
    pod_a: '1',
  });
  f(input, [{ action: 'labeldrop', regex: 'pod' }], input);
  f(input, [{ action: 'labelkeep' }], input);
  f(input, [{ action: 'labelkeep', regex: 'none' }], {});
});

test('lowercase and uppercase act on the joined source values, with Go case mapping', () => {
  f(
    { a: 'Foo', b: 'BaR' },
    [{ action: 'lowercase', source_labels: ['a', 'b'], target_label: 'c' }],
    {
      a: 'Foo',
      b: 'BaR',
      c: 'foo;bar',
    },
  );
  f(
    { a: 'Foo', b: 'BaR' },
    [{ action: 'uppercase', source_labels: ['a', 'b'], target_label: 'a' }],
    {
      a: 'FOO;BAR',
      b: 'BaR',
    },
  );
  f({ a: 'Straße ΟΔΟΣ İ' }, [{ action: 'uppercase', source_labels: ['a'], target_label: 'u' }], {
    a: 'Straße ΟΔΟΣ İ',
    u: 'STRAßE ΟΔΟΣ İ',
  });
  f({ a: 'ΟΔΟΣ İ ᾳ' }, [{ action: 'lowercase', source_labels: ['a'], target_label: 'l' }], {
    a: 'ΟΔΟΣ İ ᾳ',
    l: 'οδοσ i ᾳ',
  });
  f({ a: 'ᾳ' }, [{ action: 'uppercase', source_labels: ['a'], target_label: 'u' }], {
    a: 'ᾳ',
    u: 'ᾼ',
  });
  // An empty input removes the target.
  f({ t: 'x' }, [{ action: 'lowercase', source_labels: ['m'], target_label: 't' }], {});
});

test('rules apply in order, each seeing the previous result', () => {
  f(
    { a: '1' },
    [
      { source_labels: ['a'], target_label: 'b', replacement: '${1}2' },
      { source_labels: ['b'], target_label: 'c', replacement: '${1}3' },
      { action: 'keep', source_labels: ['c'], regex: '123' },
      { action: 'labeldrop', regex: 'a|b' },
    ],
    { c: '123' },
  );
});

test('an unchanged set is returned as the same object', () => {
  const input = Labels.fromRecord({ a: 'x', b: 'y' });
  const rules = relabelConfigsSchema.parse([
    { action: 'keep', source_labels: ['a'], regex: 'x' },
    { source_labels: ['a'], target_label: 'a' },
    { action: 'labeldrop', regex: 'c' },
    { source_labels: ['b'], target_label: 'z' },
    { target_label: 'z', replacement: '' },
  ]);
  assert.equal(relabel(input, rules), input);
  assert.equal(relabel(input, []), input);
});
