import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, type TemplateFunction } from './exec.js';
import { formatG, sprintf } from './gofmt.js';
import { TemplateSyntaxError } from './lex.js';
import { parseTemplate } from './parse.js';

const FUNCS = new Map<string, TemplateFunction>([
  ['double', (v) => (v as number) * 2],
  ['later', async (v) => `<${String(v)}>`],
]);
const NAMES = new Set(FUNCS.keys());
const DATA = { Labels: { job: 'api', instance: 'a:1' }, Value: 0.5, List: ['x', 'y'], Empty: [] };

async function f(src: string, want: string) {
  assert.equal(await execute(parseTemplate('t', src, NAMES), DATA, FUNCS), want, src);
}

function bad(src: string, line: number, reason: string) {
  assert.throws(
    () => parseTemplate('t', src, NAMES),
    (e: unknown) => e instanceof TemplateSyntaxError && e.line === line && e.reason === reason,
    src,
  );
}

test('actions, fields, variables, pipelines and functions', async () => {
  await f('{{ .Labels.job }}/{{ .Labels.nope }}/{{ .Value }}', 'api//0.5');
  await f('{{ $l := .Labels }}{{ $l.instance }}', 'a:1');
  await f('{{ .Value | double | printf "%.1f" }}', '1.0');
  await f('{{ later (double 2) }}', '<4>');
  await f('{{ "quoted\\n" }}{{ `raw\\n` }}', 'quoted\nraw\\n');
  await f(
    '{{ print 1 2 "a" "b" }} {{ len .List }} {{ index .List 1 }} {{ index .Labels "job" }}',
    '1 2ab 2 y api',
  );
  await f('a  {{- " b " -}}  c', 'a b c');
  await f('{{/* a comment */}}x{{- /* trimmed */ -}} y', 'xy');
});

test('if, else if, range, with, define and template', async () => {
  await f(
    '{{ if gt .Value 1.0 }}big{{ else if eq .Value 0.5 }}half{{ else }}small{{ end }}',
    'half',
  );
  await f('{{ if and .List (not .Empty) }}yes{{ end }}', 'yes');
  await f('{{ range $i, $e := .List }}{{ $i }}={{ $e }};{{ end }}', '0=x;1=y;');
  await f('{{ range .Labels }}{{ . }},{{ end }}', 'a:1,api,');
  await f('{{ range .Empty }}x{{ else }}none{{ end }}', 'none');
  await f('{{ range .List }}{{ if eq . "y" }}{{ break }}{{ end }}{{ . }}{{ end }}', 'x');
  await f(
    '{{ with .Labels.job }}job={{ . }}{{ end }}{{ with .Labels.nope }}x{{ else }}-{{ end }}',
    'job=api-',
  );
  await f('{{ define "t2" }}[{{ . }}]{{ end }}{{ template "t2" .Value }}', '[0.5]');
  await f('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', '2');
});

test('parse errors name the line, as Go does', () => {
  bad('{{ .x ', 1, 'unclosed action');
  bad('a\n{{ if true }}x', 2, 'unexpected EOF');
  bad('{{ nosuch 1 }}', 1, 'function "nosuch" not defined');
  bad('\n\n{{ $nope }}', 3, 'undefined variable "$nope"');
  bad('{{ end }}', 1, 'unexpected {{end}}');
  bad('{{-\n$nope }}', 2, 'undefined variable "$nope"');
  bad('{{ if }}{{ end }}', 1, 'missing value for if');
});

test('numbers print as Go prints float64', () => {
  const cases: [number, number, string][] = [
    [1e6, -1, '1e+06'],
    [123456, -1, '123456'],
    [0.5, -1, '0.5'],
    [0.00001, -1, '1e-05'],
    [1234567, 4, '1.235e+06'],
    [1234, 4, '1234'],
    [12.5, 4, '12.5'],
    [0.000123, 4, '0.000123'],
    [NaN, 4, 'NaN'],
    [-Infinity, -1, '-Inf'],
    [0, 4, '0'],
  ];
  for (const [v, p, want] of cases) assert.equal(formatG(v, p), want, `${v} %.${p}g`);
  assert.equal(
    sprintf('%d|%5.2f|%-3s|%q|%x|%%|%v', [3, 1.5, 'a', 'b', 255, true]),
    '3| 1.50|a  |"b"|ff|%|true',
  );
  assert.equal(sprintf('%s', []), '%!s(MISSING)');
});
