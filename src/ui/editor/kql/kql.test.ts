/**
 * @module
 * Unit tests for the KQL editor's pure parts: the tokenizer, the completion place and the
 * filter-editing helpers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completionPlace, type CompletionPlace } from './context';
import { addFilter, escapeField, filterClause, quoteValue } from './edit';
import { kqlErrorInfo } from './serverError';
import { tokenizeKql } from './tokens';

function tokens(text: string): string[] {
  return tokenizeKql(text).map((t) => `${t.type}:${t.text}`);
}

test('tokenizer classifies fields, values, keywords, strings, regexes and operators', () => {
  assert.deepEqual(tokens('level:error and not status >= 500'), [
    'field:level',
    'operator::',
    'value:error',
    'keyword:and',
    'keyword:not',
    'field:status',
    'operator:>=',
    'value:500',
  ]);
  assert.deepEqual(tokens('message:"a \\" b" OR path:/x.*/ or *'), [
    'field:message',
    'operator::',
    'string:"a \\" b"',
    'keyword:OR',
    'field:path',
    'operator::',
    'regex:/x.*/',
    'keyword:or',
    'wildcard:*',
  ]);
  assert.deepEqual(tokens('status:(200 or 404)'), [
    'field:status',
    'operator::',
    'paren:(',
    'value:200',
    'keyword:or',
    'value:404',
    'paren:)',
  ]);
  assert.deepEqual(tokens('url\\:x:"unterminated'), [
    'field:url\\:x',
    'operator::',
    'string:"unterminated',
  ]);
  assert.deepEqual(tokens(''), []);
});

function f(text: string, expected: CompletionPlace): void {
  const pos = text.indexOf('|');
  const clean = text.replace('|', '');
  assert.deepEqual(completionPlace(clean, pos), expected, text);
}

test('completion offers fields where a clause starts', () => {
  f('|', { kind: 'field', from: 0, prefix: '' });
  f('lev|', { kind: 'field', from: 0, prefix: 'lev' });
  f('level:error and ho|', { kind: 'field', from: 16, prefix: 'ho' });
  f('not |', { kind: 'field', from: 4, prefix: '' });
  f('(a or |', { kind: 'field', from: 6, prefix: '' });
});

test('completion offers values of the field after field: and inside field:( … )', () => {
  f('level:|', { kind: 'value', field: 'level', from: 6, prefix: '', quoted: false });
  f('level:er|', { kind: 'value', field: 'level', from: 6, prefix: 'er', quoted: false });
  f('level: "er|', { kind: 'value', field: 'level', from: 7, prefix: '"er', quoted: true });
  f('status:(200 or 4|', { kind: 'value', field: 'status', from: 15, prefix: '4', quoted: false });
  f('a\\:b:|', { kind: 'value', field: 'a:b', from: 5, prefix: '', quoted: false });
  f('level:er|ror', { kind: 'value', field: 'level', from: 6, prefix: 'er', quoted: false });
});

test('completion offers keywords after a finished clause, nothing after range operators', () => {
  f('level:error |', { kind: 'keyword', from: 12, prefix: '' });
  f('level:error a|', { kind: 'keyword', from: 12, prefix: 'a' });
  f('bytes > |', { kind: 'none' });
});

test('quoteValue and escapeField make any value and name literal', () => {
  assert.equal(quoteValue('GET /a "b" \\c'), '"GET /a \\"b\\" \\\\c"');
  assert.equal(quoteValue(500), '500');
  assert.equal(quoteValue(true), 'true');
  assert.equal(escapeField('labels.app:x (y)*'), 'labels.app\\:x\\ \\(y\\)\\*');
});

test('filterClause and addFilter narrow the query, once, swapping the opposite clause', () => {
  assert.equal(filterClause('level', 'error', false), 'level:"error"');
  assert.equal(filterClause('level', 'error', true), 'not level:"error"');
  assert.equal(filterClause('level', null, false), 'not level:*');
  assert.equal(filterClause('level', null, true), 'level:*');
  assert.equal(addFilter('', 'level', 'error', false), 'level:"error"');
  assert.equal(addFilter('  ', 'status', 500, true), 'not status:500');
  assert.equal(addFilter('host:a', 'level', 'error', false), 'host:a and level:"error"');
  assert.equal(
    addFilter('host:a or host:b', 'level', 'error', false),
    '(host:a or host:b) and level:"error"',
  );
  assert.equal(
    addFilter('host:a and level:"error"', 'level', 'error', false),
    'host:a and level:"error"',
  );
  assert.equal(
    addFilter('host:a and level:"error"', 'level', 'error', true),
    'host:a and not level:"error"',
  );
  assert.equal(
    addFilter('message:"x and y"', 'level', 'error', false),
    'message:"x and y" and level:"error"',
  );
});

test('kqlErrorInfo reads the caret of the server message', () => {
  assert.deepEqual(
    kqlErrorInfo(
      'invalid parameter "q": Expected "(", "{", value, whitespace but end of input found.\nresponse:\n---------^',
    ),
    { message: 'Expected "(", "{", value, whitespace but end of input found.', offset: 9 },
  );
  assert.deepEqual(kqlErrorInfo('invalid parameter "q": regex too large'), {
    message: 'regex too large',
    offset: undefined,
  });
  assert.deepEqual(kqlErrorInfo('x\ny\n^'), { message: 'x', offset: 0 });
});
