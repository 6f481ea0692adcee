import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubernetesPathFilter, kubernetesFromPath } from './kubernetes-path.js';

test('kubernetesFromPath reads /var/log/pods and /var/log/containers names', () => {
  assert.deepEqual(
    kubernetesFromPath(
      '/var/log/pods/kube-system_coredns-5d78c9869d-abcde_8f1c2d3e-aaaa-bbbb-cccc-000000000001/coredns/0.log',
    ),
    {
      namespace: 'kube-system',
      pod: 'coredns-5d78c9869d-abcde',
      podUid: '8f1c2d3e-aaaa-bbbb-cccc-000000000001',
      container: 'coredns',
    },
  );
  const id = 'a'.repeat(64);
  assert.deepEqual(kubernetesFromPath(`/var/log/containers/web-0_shop_nginx-proxy-${id}.log`), {
    pod: 'web-0',
    namespace: 'shop',
    container: 'nginx-proxy',
    containerId: id,
  });
  assert.equal(kubernetesFromPath('/var/log/syslog'), undefined);
  assert.equal(kubernetesFromPath('/var/log/pods/bad-dir/app/0.log'), undefined);
  assert.equal(kubernetesFromPath('/var/log/containers/no-id.log'), undefined);
});

test('KubernetesPathFilter gives the fields and the node name', () => {
  const filter = new KubernetesPathFilter('node-a');
  assert.deepEqual(filter.sourceFields({ path: '/var/log/pods/ns_p_u/c/0.log' }), {
    kubernetes: {
      namespace: 'ns',
      pod: { name: 'p', uid: 'u' },
      container: { name: 'c' },
      node: { name: 'node-a' },
    },
  });
  assert.deepEqual(
    filter.sourceFields({ path: `/var/log/containers/p_ns_c-${'0'.repeat(64)}.log` }),
    {
      kubernetes: {
        namespace: 'ns',
        pod: { name: 'p' },
        container: { name: 'c' },
        node: { name: 'node-a' },
      },
      container: { id: '0'.repeat(64) },
    },
  );
  assert.equal(filter.sourceFields({ path: '/var/log/syslog' }), undefined);
});
