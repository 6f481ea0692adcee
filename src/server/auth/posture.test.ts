import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback, postureProblem, standalonePostureProblem } from './posture.js';

test('posture: loopback, auth or --insecure allow a server; anything else is refused', () => {
  for (const host of ['127.0.0.1', '127.5.6.7', '::1', 'localhost', '::ffff:127.0.0.1']) {
    assert.ok(isLoopback(host), host);
  }
  for (const host of ['0.0.0.0', '::', '', '10.0.0.1', '::ffff:10.0.0.1', 'example.com']) {
    assert.ok(!isLoopback(host), host);
  }
  const open = { host: '0.0.0.0', port: 9700 };
  assert.match(postureProblem(open, false, false)!, /refusing to listen on 0\.0\.0\.0:9700/);
  assert.equal(postureProblem(open, true, false), null);
  assert.equal(postureProblem(open, false, true), null);
  assert.equal(postureProblem({ host: '127.0.0.1', port: 9700 }, false, false), null);
});

test('posture: a standalone component takes loopback, or any address with --insecure', () => {
  const open = { host: '10.1.2.3', port: 9091 };
  assert.match(
    standalonePostureProblem('vigil pushgateway', open, false)!,
    /^refusing to listen on 10\.1\.2\.3:9091: vigil pushgateway has no authentication/,
  );
  assert.equal(standalonePostureProblem('vigil pushgateway', open, true), null);
  assert.equal(
    standalonePostureProblem('vigil pushgateway', { host: '::1', port: 1 }, false),
    null,
  );
});
