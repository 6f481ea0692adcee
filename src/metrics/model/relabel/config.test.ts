import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { formatPath } from '../../../config/path.js';
import { locate } from '../../../config/locate.js';
import { knownKeys, unwrap } from '../../../config/schema-walk.js';
import { PRINTERS } from '../../../config/types.js';
import { issueMessage } from '../../../config/messages.js';
import {
  DEFAULT_REGEX,
  NO_SOURCE_LABELS,
  relabelConfigSchema,
  relabelConfigsSchema,
} from './config.js';

/** Problems with a YAML list of rules, as `line:col: key: message` the way vigil.yml reports them. */
function issuesOf(yaml: string): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter });
  const result = relabelConfigsSchema.safeParse(doc.toJS());
  if (result.success) return [];
  const root: unknown = doc.toJS();
  return result.error.issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const at = (keyPath: (string | number)[], message: string) => {
      const { line, col } = locate(doc, lineCounter, keyPath);
      return `${line}:${col}: ${formatPath(keyPath)}: ${message}`;
    };
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(relabelConfigsSchema, path);
      return issue.keys.map((key) => at([...path, key], issueMessage(issue, key, known)));
    }
    let value = root;
    for (const p of path) value = (value as Record<string | number, unknown> | undefined)?.[p];
    return [at(path, issueMessage(issue, value))];
  });
}

/** The one problem of a single rule given as YAML flow mapping text. */
function f(rule: string, want: string): void {
  const got = issuesOf(`- ${rule}\n`).map((s) => s.replace(/^\d+:\d+: \[0\](?:\.|: )?/, ''));
  assert.deepEqual(got, [want], rule);
}

test('defaults are Prometheus defaults', () => {
  const c = relabelConfigSchema.parse({ target_label: 't' });
  assert.equal(c.action, 'replace');
  assert.equal(c.separator, ';');
  assert.equal(c.regex, DEFAULT_REGEX);
  assert.equal(c.regex.pattern, '(.*)');
  assert.equal(c.replacement, '$1');
  assert.equal(c.modulus, 0);
  assert.equal(c.source_labels, NO_SOURCE_LABELS);
  assert.deepEqual(relabelConfigsSchema.parse(undefined), []);
  assert.deepEqual(relabelConfigsSchema.parse(null), []);
});

test('Go YAML quirks: null is the zero value, actions are case-insensitive, scalars are text', () => {
  const c = relabelConfigSchema.parse({
    action: 'LabelMap',
    separator: null,
    regex: null,
    replacement: 80,
  });
  assert.equal(c.action, 'labelmap');
  assert.equal(c.separator, '');
  assert.equal(c.regex.pattern, '');
  assert.equal(c.regex.test(''), true);
  assert.equal(c.regex.test('a'), false);
  assert.equal(c.replacement, '80');
});

test('the regex is anchored and RE2 syntax', () => {
  const c = relabelConfigSchema.parse({ action: 'keep', regex: '(?P<x>a+)|\\Qb.c\\E' });
  assert.equal(c.regex.test('aaa'), true);
  assert.equal(c.regex.test('b.c'), true);
  assert.equal(c.regex.test('bxc'), false);
  assert.equal(c.regex.test('xaaa'), false);
  assert.equal(c.regex.exec('aa')?.groups?.x, 'aa');
});

test('schema errors name the key and quote the value', () => {
  f(
    '{action: bogus}',
    'action: unknown relabel action "bogus": want one of replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase',
  );
  f('{action: null, target_label: a}', 'action: relabel action cannot be empty');
  f(
    '{target_label: a, regex: "(a"}',
    'regex: invalid regex "(a": error parsing regexp: missing closing ): `^(?s:(a)$`',
  );
  f(
    '{target_label: a, regex: "(?=a)"}',
    'regex: invalid regex "(?=a)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  );
  f(
    '{target_label: a, regex: "\\\\1"}',
    'regex: invalid regex "\\\\1": error parsing regexp: invalid escape sequence: `\\1`',
  );
  f('{target_label: a, bogus: 1}', 'bogus: unknown key "bogus"');
  f(
    '{target_labels: a}',
    'target_labels: unknown key "target_labels" (did you mean "target_label"?)',
  );
  f(
    '{source_labels: a, target_label: b}',
    'source_labels: expected a list of label names, got "a"',
  );
  f('{source_labels: [a, ""], target_label: b}', 'source_labels[1]: "" is not a valid label name');
  f('{target_label: a, separator: [x]}', 'separator: expected a string, got ["x"]');
  f(
    '{action: hashmod, target_label: a, modulus: -1}',
    'modulus: invalid modulus -1: want a non-negative integer',
  );
  f(
    '{action: hashmod, target_label: a, modulus: 1.5}',
    'modulus: invalid modulus 1.5: want a non-negative integer',
  );
  f('"x"', 'expected a mapping, got a string');
  f('null', 'expected a mapping, got nothing');
});

test('cross-field rules match Prometheus 3 validation', () => {
  f('{}', "target_label: relabel configuration for replace action requires 'target_label' value");
  f(
    '{action: hashmod, target_label: a}',
    'modulus: relabel configuration for hashmod requires non-zero modulus',
  );
  f(
    '{action: hashmod, modulus: 2}',
    "target_label: relabel configuration for hashmod action requires 'target_label' value",
  );
  for (const action of ['lowercase', 'uppercase', 'keepequal', 'dropequal']) {
    f(
      `{action: ${action}}`,
      `target_label: relabel configuration for ${action} action requires 'target_label' value`,
    );
    f(
      `{action: ${action}, target_label: a, replacement: x}`,
      `replacement: 'replacement' can not be set for ${action} action`,
    );
  }
  f(
    '{target_label: "\\uD800"}',
    `target_label: "\\ud800" is invalid 'target_label' for replace action`,
  );
  f(
    '{action: labelmap, replacement: ""}',
    `replacement: "" is invalid 'replacement' for labelmap action`,
  );
  for (const action of ['keepequal', 'dropequal']) {
    const only = `${action} action requires only 'source_labels' and 'target_label', and no other fields`;
    f(`{action: ${action}, target_label: a, regex: "(.*)"}`, `regex: ${only}`);
    f(`{action: ${action}, target_label: a, modulus: 3}`, `modulus: ${only}`);
    f(`{action: ${action}, target_label: a, separator: ","}`, `separator: ${only}`);
  }
  for (const action of ['labeldrop', 'labelkeep']) {
    const only = `${action} action requires only 'regex', and no other fields`;
    f(`{action: ${action}, source_labels: []}`, `source_labels: ${only}`);
    f(`{action: ${action}, target_label: a}`, `target_label: ${only}`);
    f(`{action: ${action}, modulus: 1}`, `modulus: ${only}`);
    f(`{action: ${action}, separator: ","}`, `separator: ${only}`);
    f(`{action: ${action}, replacement: x}`, `replacement: ${only}`);
  }
});

test('valid rules of every action pass, including UTF-8 and templated target labels', () => {
  const ok = [
    { source_labels: ['a'], target_label: '${1}_x' },
    { source_labels: ['a'], target_label: 'dotted.name' },
    { action: 'keep', source_labels: ['a'], regex: 'x' },
    { action: 'drop', source_labels: ['a'] },
    {
      action: 'keepequal',
      source_labels: ['a'],
      target_label: 'b',
      separator: ';',
      replacement: '$1',
    },
    { action: 'dropequal', source_labels: ['a'], target_label: 'b' },
    { action: 'hashmod', source_labels: ['a'], target_label: 'b', modulus: 8 },
    { action: 'labelmap', regex: '__meta_(.+)', replacement: 'k8s.$1' },
    { action: 'labeldrop', regex: 'tmp_.*', separator: ';', replacement: '$1' },
    { action: 'labelkeep', regex: 'keep' },
    { action: 'lowercase', source_labels: ['a'], target_label: 'ä' },
    { action: 'uppercase', source_labels: ['a'], target_label: 'b' },
  ];
  for (const rule of ok)
    assert.equal(relabelConfigSchema.safeParse(rule).success, true, JSON.stringify(rule));
});

test('problems are located at their key in the file', () => {
  assert.deepEqual(
    issuesOf('- target_label: a\n- action: hashmod\n  target_label: s\n  modulus: 0\n'),
    ['4:3: [1].modulus: relabel configuration for hashmod requires non-zero modulus'],
  );
});

test('rules print back, through the config printers, to YAML that parses to the same rules', () => {
  const rules = relabelConfigsSchema.parse([
    { source_labels: ['a', 'b'], regex: 'x(.*)', target_label: 't' },
    { action: 'keepequal', source_labels: ['a'], target_label: 'b' },
  ]);
  const shape = unwrap(relabelConfigSchema);
  assert.equal(shape.kind, 'object');
  const printed = rules.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => {
        const leaf = shape.kind === 'object' ? unwrap(shape.shape[k]!) : undefined;
        const print = leaf?.kind === 'leaf' ? PRINTERS.get(leaf.transform) : undefined;
        return [k, print === undefined ? v : (print as (x: unknown) => unknown)(v)];
      }),
    ),
  );
  const again = relabelConfigsSchema.parse(parseDocument(stringify(printed)).toJS());
  assert.deepEqual(
    again.map((r) => ({ ...r, regex: r.regex.pattern })),
    rules.map((r) => ({ ...r, regex: r.regex.pattern })),
  );
  assert.equal(again[1]!.regex, DEFAULT_REGEX);
});
