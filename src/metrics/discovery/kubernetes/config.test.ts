/**
 * @module
 * The `kubernetes_sd_configs` entry schema: defaults, and the errors Prometheus gives for the
 * same mistakes, each at the key it concerns.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesSdConfigSchema } from './config.js';

/** The first issue's path and message, or the parsed value. */
function parse(input: unknown) {
  const r = kubernetesSdConfigSchema.safeParse(input);
  return r.success
    ? r.data
    : { path: r.error.issues[0]!.path.join('.'), message: r.error.issues[0]!.message };
}

test('defaults: all namespaces, no selectors, no node metadata, in-cluster', () => {
  const c = parse({ role: 'pod' });
  assert.deepEqual(
    { ...c, tls_config: undefined },
    {
      role: 'pod',
      namespaces: { own_namespace: false, names: [] },
      selectors: [],
      attach_metadata: { node: false },
      follow_redirects: true,
      tls_config: undefined,
    },
  );
});

test('role is required and must be known', () => {
  const f = (input: unknown, want: { path: string; message: RegExp }) => {
    const got = parse(input) as { path: string; message: string };
    assert.equal(got.path, want.path);
    assert.match(got.message, want.message);
  };
  f({}, { path: 'role', message: /role missing \(one of: node, pod, service/ });
  f({ role: 'Pods' }, { path: 'role', message: /invalid role "Pods"/ });
  f(
    { role: 'pod', api_server: 'localhost:6443' },
    { path: 'api_server', message: /invalid URL "localhost:6443"/ },
  );
  f(
    { role: 'pod', selectors: [{ role: 'service', label: 'a=b' }] },
    { path: 'selectors.0.role', message: /service is not a valid selector role for role pod/ },
  );
  f(
    { role: 'endpoints', selectors: [{ role: 'pod' }, { role: 'pod', field: 'x=y' }] },
    { path: 'selectors.1.role', message: /duplicated selector role: pod/ },
  );
  f(
    { role: 'pod', bearer_token: 't' },
    { path: '', message: /provide the 'api_server' URL explicitly/ },
  );
  f(
    { role: 'pod', api_server: 'https://k:6443', bearer_token: 't', basic_auth: { username: 'u' } },
    { path: '', message: /at most one of basic_auth, authorization/ },
  );
  f({ role: 'pod', kubeconfig_file: '/x' }, { path: '', message: /kubeconfig_file/ });
});

test('selectors for every watched resource; node only with attach_metadata', () => {
  const ok = parse({
    role: 'endpointslice',
    api_server: 'https://k:6443',
    attach_metadata: { node: true },
    selectors: [
      { role: 'pod', label: 'app=web' },
      { role: 'service', field: 'metadata.name=web' },
      { role: 'endpointslice' },
      { role: 'node', label: 'pool=a' },
    ],
  }) as { selectors: unknown[] };
  assert.equal(ok.selectors.length, 4);
  const bad = parse({ role: 'pod', selectors: [{ role: 'node' }] }) as { message: string };
  assert.match(bad.message, /node is not a valid selector role for role pod, want one of: pod$/);
});
