import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateRe2 } from './re2.js';

const matches = (re: string, s: string) => new RegExp(`^(?:${translateRe2(re)})$`, 'su').test(s);

test('RE2 constructs match as in Go', () => {
  const f = (re: string, s: string, want: boolean) =>
    assert.equal(matches(re, s), want, `${re} on ${JSON.stringify(s)}`);
  f('a.c', 'a\nc', true); // `.` matches newline, as Prometheus compiles (?s:…)
  f('(?-s:a.c)', 'a\nc', false);
  f('(?i)abc', 'AbC', true);
  f('x(?i:ab)c', 'xABc', true);
  f('x(?i:ab)c', 'xABC', false);
  f('(?i)[a-c]+', 'AbC', true);
  f('(?P<word>\\w+)', 'abc_1', true);
  f('\\Aab\\z', 'ab', true);
  f('\\Qa.b\\E', 'a.b', true);
  f('\\Qa.b\\E', 'axb', false);
  f('\\pL+', 'héllo', true);
  f('\\p{Greek}+', 'αβγ', true);
  f('\\p{Greek}+', 'abc', false);
  f('\\PL', '1', true);
  f('\\x{41}\\x42', 'AB', true);
  f('\\101', 'A', true);
  f('[[:alpha:]]+', 'abcXYZ', true);
  f('[[:digit:][:upper:]]+', '12AB', true);
  f('[[:^digit:]]', 'a', true);
  f('[[:^digit:]]', '5', false);
  f('\\s', '\u00a0', false); // RE2's \s is ASCII only
  f('\\s', '\t', true);
  f('a\\-b\\!c\\@', 'a-b!c@', true);
  f('[\\d\\-x]+', '1-x', true);
  f('[^\\s]+', 'ab', true);
  f('(?U)a+', 'aaa', true);
  f('(?m)^b$', 'a\nb', false); // anchored whole-value match still applies
  f('a{2,3}', 'aaa', true);
  f('😀+', '😀😀', true);
  f('[😀-😂]', '😁', true);
  f('\\.', '.', true);
  f('a|b', 'b', true);
});

test('(?U) makes quantifiers lazy', () => {
  const m = new RegExp(translateRe2('(?U)(a+)'), 'su').exec('aaa');
  assert.equal(m?.[1], 'a');
});
