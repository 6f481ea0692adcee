import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { defaultConfig, parseConfig } from './load.js';

const DOC = new URL('../../docs/configuration.md', import.meta.url);

test('the reference in docs/configuration.md states the defaults of every section without examples', () => {
  const text = readFileSync(DOC, 'utf8');
  const block = /## Reference\n\n```yaml\n([\s\S]*?)\n```/.exec(text);
  assert.ok(block, 'no yaml block under "## Reference"');
  const documented = parse(block[1]!) as Record<string, unknown>;
  const dflt = defaultConfig();
  // These sections hold examples (jobs, remote endpoints) rather than defaults.
  const sections = ['server', 'log', 'storage', 'query', 'alertmanager', 'dashboards'] as const;
  for (const key of sections) assert.ok(key in documented, `section ${key} is not documented`);
  const { server, log, storage, query, alertmanager, dashboards } = documented;
  const parsed = parseConfig(
    JSON.stringify({ server, log, storage, query, alertmanager, dashboards }),
    'configuration.md',
  );
  for (const key of sections) assert.deepEqual(parsed[key], dflt[key], key);
});
