import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forEachToken,
  forEachTokenSpan,
  SPAN_ASCII,
  SPAN_LOWER_ASCII,
  SPAN_UNICODE,
  tokenize,
} from './tokenize.js';

function f(text: string, expected: string[]) {
  assert.deepEqual(tokenize(text), expected, JSON.stringify(text));
}

test('ASCII: runs of letters, digits and _ split on everything else, lowercased', () => {
  f('', []);
  f('   ', []);
  f('a', ['a']);
  f('GET /api/v1/users?id=42', ['get', 'api', 'v1', 'users', 'id', '42']);
  f('kube-system', ['kube', 'system']);
  f('www.example.com', ['www', 'example', 'com']);
  f('org.apache.Kafka_Consumer', ['org', 'apache', 'kafka_consumer']);
  f('  leading and trailing  ', ['leading', 'and', 'trailing']);
  f('10.0.0.1:8080', ['10', '0', '0', '1', '8080']);
  f('a\tb\nc\rd', ['a', 'b', 'c', 'd']);
  f('@timestamp', ['timestamp']);
});

test('repeats are kept in order, for phrase positions', () => {
  f('error error ERROR', ['error', 'error', 'error']);
});

test('Unicode letters, digits and marks are word characters', () => {
  f('Grüße aus Köln', ['grüße', 'aus', 'köln']);
  f('ÉCOLE', ['école']);
  f('fehler:Überlauf', ['fehler', 'überlauf']);
  f('日本語 テキスト', ['日本語', 'テキスト']);
  f('٣٤ digits', ['٣٤', 'digits']);
  // A combining mark continues the word it follows.
  f('cafe\u0301 ok', ['cafe\u0301', 'ok']);
  f('a\u00a0b', ['a', 'b']);
  f('x—y', ['x', 'y']);
});

test('surrogate pairs: letters outside the BMP join words, emoji split them', () => {
  f('𝐀𝐁c', ['𝐀𝐁c']);
  f('a😀b', ['a', 'b']);
  f('😀', []);
  f('𐐀X', ['𐐨x']);
  // Lone surrogates are not words and do not swallow their neighbour.
  f('a\ud800b', ['a', 'b']);
  f('a\udc00b', ['a', 'b']);
  f('ab\ud800', ['ab']);
});

test('forEachToken reports the same tokens as tokenize', () => {
  const out: string[] = [];
  forEachToken('Connection refused: kube-system/DNS', (t) => out.push(t));
  assert.deepEqual(out, ['connection', 'refused', 'kube', 'system', 'dns']);
});

test('token spans: where each token sits and whether the text itself is the token', () => {
  const spans: [string, number][] = [];
  const text = 'GET /api Grüße x_1 ÉCOLE';
  forEachTokenSpan(text, (start, end, kind) => spans.push([text.slice(start, end), kind]));
  assert.deepEqual(spans, [
    ['GET', SPAN_ASCII],
    ['api', SPAN_LOWER_ASCII],
    ['Grüße', SPAN_UNICODE],
    ['x_1', SPAN_LOWER_ASCII],
    ['ÉCOLE', SPAN_UNICODE],
  ]);
});
