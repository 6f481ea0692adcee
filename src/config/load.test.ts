import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './errors.js';
import { defaultConfig, parseConfig } from './load.js';
import { formatPath } from './path.js';
import { printConfig } from './print.js';

function issuesOf(text: string): string[] {
  try {
    parseConfig(text, 'vigil.yml');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

test('an empty file and empty sections mean the defaults', () => {
  assert.deepEqual(parseConfig('', 'vigil.yml'), defaultConfig());
  assert.deepEqual(parseConfig('server:\nlog:\n', 'vigil.yml'), defaultConfig());
  assert.deepEqual(parseConfig('# only a comment\n', 'vigil.yml'), defaultConfig());
});

test('values are parsed into ms, bytes and addresses', () => {
  const c = parseConfig(
    'server:\n  listen: "[::1]:0"\n  request_timeout: 0\n  idle_timeout: 1m30s\n  max_request_body_size: 1GB\n',
    'vigil.yml',
  );
  assert.deepEqual(c.server.listen, { host: '::1', port: 0 });
  assert.equal(c.server.request_timeout, 0);
  assert.equal(c.server.idle_timeout, 90_000);
  assert.equal(c.server.max_request_body_size, 1024 ** 3);
});

test('the printed configuration parses back to the same configuration', () => {
  const c = parseConfig(
    'server:\n  listen: ":9800"\n  idle_timeout: 1m30s\n  max_header_size: 64KiB\nlog:\n  format: json\n',
    'vigil.yml',
  );
  const printed = printConfig(c);
  assert.match(printed, /idle_timeout: 1m30s/);
  assert.match(printed, /max_header_size: 64KiB/);
  assert.match(printed, /listen: :9800/);
  assert.deepEqual(parseConfig(printed, 'printed.yml'), c);
});

test('every problem is reported, in file order, with position and key', () => {
  assert.deepEqual(issuesOf('log:\n  format: xml\nserver:\n  listen: 1\n  bogus: 2\n'), [
    'vigil.yml:2:3: log.format: invalid value "xml": want one of "logfmt", "json"',
    'vigil.yml:4:3: server.listen: invalid address 1: want host:port',
    'vigil.yml:5:3: server.bogus: unknown key "bogus"',
  ]);
});

test('type mismatches name what was expected and what was found', () => {
  assert.deepEqual(issuesOf('server: 3\n'), [
    'vigil.yml:1:1: server: expected a mapping, got a number',
  ]);
  assert.deepEqual(issuesOf('log:\n  level: [info]\n'), [
    'vigil.yml:2:3: log.level: invalid value ["info"]: want one of "debug", "info", "warn", "error"',
  ]);
});

test('paths print like the keys users write', () => {
  assert.equal(
    formatPath(['scrape_configs', 0, 'scrape_interval']),
    'scrape_configs[0].scrape_interval',
  );
  assert.equal(formatPath(['server']), 'server');
  assert.equal(formatPath([]), '');
});
