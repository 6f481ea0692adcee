/**
 * @module
 * Target groups built from API objects in the wire format (testdata/*.json), checked against
 * the groups Prometheus builds for the same objects: sources, addresses, and labels role by
 * role, including the enrichment of endpoints from pods, services and nodes.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TargetGroup } from '../interface.js';
import type { EndpointSlice, Endpoints, Ingress, Node, Pod, Service } from './api-types.js';
import { buildEndpointSliceGroup } from './endpointslice.js';
import { buildEndpointsGroup } from './endpoints.js';
import { buildIngressGroup } from './ingress.js';
import type { Lookups } from './meta.js';
import { sanitizeLabelName } from './meta.js';
import { buildNodeGroup } from './node.js';
import { buildPodGroup } from './pod.js';
import { buildServiceGroup } from './service.js';

interface Cluster {
  nodes: Node[];
  pods: Pod[];
  services: Service[];
  endpoints: Endpoints[];
  endpointslices: EndpointSlice[];
  ingresses: Ingress[];
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8')) as Cluster;
const cluster = load('cluster.json');
const edge = load('edge-cases.json');

const find = <T extends { metadata: { name: string; namespace?: string } }>(
  list: T[],
  name: string,
  ns?: string,
): T =>
  list.find((o) => o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns))!;

function lookups(withNodes: boolean): Lookups {
  return {
    pod: (ns, name) =>
      cluster.pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name),
    service: (ns, name) =>
      cluster.services.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    node: withNodes ? (name) => cluster.nodes.find((n) => n.metadata.name === name) : undefined,
  };
}

/** Each target with the group's labels merged in (target wins) and empty values removed. */
function merged(g: TargetGroup): Record<string, string>[] {
  return g.targets.map((t) =>
    Object.fromEntries(Object.entries({ ...g.labels, ...t }).filter(([, v]) => v !== '')),
  );
}

const addresses = (g: TargetGroup) => g.targets.map((t) => t.__address__);
const M = '__meta_kubernetes_';

test('label names are sanitized per code point', () => {
  const f = (input: string, want: string) => assert.equal(sanitizeLabelName(input), want);
  f('app.kubernetes.io/name', 'app_kubernetes_io_name');
  f('ü', '_');
  f('😀x', '_x');
  f('ok_1', 'ok_1');
});

test('node: kubelet address by type preference, every address type, instance', () => {
  const a = buildNodeGroup(find(cluster.nodes, 'node-a'));
  assert.equal(a.source, 'node/node-a');
  assert.deepEqual(merged(a), [
    {
      __address__: '10.0.0.1:10250',
      instance: 'node-a',
      [`${M}node_name`]: 'node-a',
      [`${M}node_provider_id`]: 'aws:///eu-west-1a/i-0123',
      [`${M}node_label_kubernetes_io_hostname`]: 'node-a',
      [`${M}node_labelpresent_kubernetes_io_hostname`]: 'true',
      [`${M}node_label_topology_kubernetes_io_zone`]: 'z1',
      [`${M}node_labelpresent_topology_kubernetes_io_zone`]: 'true',
      [`${M}node_annotation_node_alpha_kubernetes_io_ttl`]: '0',
      [`${M}node_annotationpresent_node_alpha_kubernetes_io_ttl`]: 'true',
      [`${M}node_address_InternalIP`]: '10.0.0.1',
      [`${M}node_address_ExternalIP`]: '203.0.113.1',
      [`${M}node_address_Hostname`]: 'node-a',
    },
  ]);
  assert.deepEqual(addresses(buildNodeGroup(find(cluster.nodes, 'node-b'))), [
    'node-b.example.com:10255',
  ]);
  assert.deepEqual(addresses(buildNodeGroup(find(cluster.nodes, 'node-c'))), [
    'node-c.internal:10250',
  ]);
  assert.deepEqual(addresses(buildNodeGroup(find(edge.nodes, 'v6'))), ['192.0.2.9:10250']);
  assert.deepEqual(buildNodeGroup(find(edge.nodes, 'no-address')).targets, []);
});

test('pod: a target per container port, a port-less one per container without ports', () => {
  const g = buildPodGroup(find(cluster.pods, 'web-0'), lookups(false));
  assert.equal(g.source, 'pod/default/web-0');
  assert.deepEqual(addresses(g), ['10.1.0.5:8080', '10.1.0.5:9100', '10.1.0.5', '10.1.0.5:7000']);
  assert.deepEqual(g.labels, {
    [`${M}namespace`]: 'default',
    [`${M}pod_name`]: 'web-0',
    [`${M}pod_ip`]: '10.1.0.5',
    [`${M}pod_ready`]: 'true',
    [`${M}pod_phase`]: 'Running',
    [`${M}pod_node_name`]: 'node-a',
    [`${M}pod_host_ip`]: '10.0.0.1',
    [`${M}pod_uid`]: '0f8e1c52-0000-4000-8000-000000000001',
    [`${M}pod_label_app`]: 'web',
    [`${M}pod_labelpresent_app`]: 'true',
    [`${M}pod_label_app_kubernetes_io_name`]: 'web',
    [`${M}pod_labelpresent_app_kubernetes_io_name`]: 'true',
    [`${M}pod_annotation_prometheus_io_scrape`]: 'true',
    [`${M}pod_annotationpresent_prometheus_io_scrape`]: 'true',
    [`${M}pod_annotation_prometheus_io_port`]: '9100',
    [`${M}pod_annotationpresent_prometheus_io_port`]: 'true',
    [`${M}pod_controller_kind`]: 'StatefulSet',
    [`${M}pod_controller_name`]: 'web',
  });
  assert.deepEqual(g.targets[0], {
    __address__: '10.1.0.5:8080',
    [`${M}pod_container_name`]: 'web',
    [`${M}pod_container_id`]: 'containerd://aaaa',
    [`${M}pod_container_image`]: 'nginx:1.25',
    [`${M}pod_container_init`]: 'false',
    [`${M}pod_container_port_number`]: '8080',
    [`${M}pod_container_port_name`]: 'http',
    [`${M}pod_container_port_protocol`]: 'TCP',
  });
  assert.deepEqual(g.targets[3]![`${M}pod_container_init`], 'true');
  assert.deepEqual(g.targets[3]![`${M}pod_container_id`], 'containerd://1111');
});

test('pod: no IP means no targets; IPv6 is bracketed; a non-controller owner is ignored', () => {
  const pending = buildPodGroup(find(cluster.pods, 'pending'), lookups(false));
  assert.deepEqual(pending, { source: 'pod/default/pending', targets: [], labels: {} });
  const v6 = buildPodGroup(find(cluster.pods, 'exporter'), lookups(false));
  assert.deepEqual(addresses(v6), ['[fd00::5]:9100']);
  assert.equal(v6.labels[`${M}pod_ready`], 'unknown');
  const odd = buildPodGroup(find(edge.pods, 'odd-labels'), lookups(false));
  assert.equal(odd.labels[`${M}pod_label_a_b_c_d`], '1');
  assert.equal(odd.labels[`${M}pod_label__`], '2');
  assert.equal(odd.labels[`${M}pod_controller_kind`], undefined);
  assert.equal(odd.labels[`${M}pod_ready`], 'false');
  assert.deepEqual(addresses(odd), ['10.9.0.1', '10.9.0.1']);
});

test('pod with attach_metadata.node: the node name and labels, not its annotations', () => {
  const g = buildPodGroup(find(cluster.pods, 'web-1'), lookups(true));
  assert.equal(g.labels[`${M}node_name`], 'node-b');
  assert.equal(g.labels[`${M}node_label_kubernetes_io_hostname`], 'node-b');
  assert.equal(g.labels[`${M}node_labelpresent_kubernetes_io_hostname`], 'true');
  const a = buildPodGroup(find(cluster.pods, 'web-0'), lookups(true));
  assert.equal(a.labels[`${M}node_annotation_node_alpha_kubernetes_io_ttl`], undefined);
  const none = buildPodGroup(find(cluster.pods, 'web-1'), lookups(false));
  assert.equal(none.labels[`${M}node_name`], undefined);
});

test('service: the cluster DNS name per port; cluster IP or external name by type', () => {
  const web = buildServiceGroup(find(cluster.services, 'web'));
  assert.equal(web.source, 'svc/default/web');
  assert.deepEqual(merged(web)[0], {
    __address__: 'web.default.svc:80',
    [`${M}namespace`]: 'default',
    [`${M}service_name`]: 'web',
    [`${M}service_label_app`]: 'web',
    [`${M}service_labelpresent_app`]: 'true',
    [`${M}service_label_tier`]: 'front-end',
    [`${M}service_labelpresent_tier`]: 'true',
    [`${M}service_annotation_prometheus_io_probe`]: 'true',
    [`${M}service_annotationpresent_prometheus_io_probe`]: 'true',
    [`${M}service_port_name`]: 'http',
    [`${M}service_port_number`]: '80',
    [`${M}service_port_protocol`]: 'TCP',
    [`${M}service_type`]: 'ClusterIP',
    [`${M}service_cluster_ip`]: '10.96.0.10',
  });
  const lb = buildServiceGroup(find(edge.services, 'lb'));
  assert.equal(lb.targets[0]![`${M}service_loadbalancer_ip`], '198.51.100.7');
  assert.equal(lb.targets[0]![`${M}service_cluster_ip`], '10.96.0.20');
  assert.equal(web.targets[0]![`${M}service_loadbalancer_ip`], undefined);
  const ext = buildServiceGroup(find(cluster.services, 'ext'));
  assert.equal(ext.targets[0]![`${M}service_external_name`], 'db.example.com');
  assert.equal(ext.targets[0]![`${M}service_cluster_ip`], undefined);
});

test('endpoints: ready and not-ready addresses, pod and service labels, uncovered ports', () => {
  const g = buildEndpointsGroup(find(cluster.endpoints, 'web'), lookups(false));
  assert.equal(g.source, 'endpoints/default/web');
  assert.deepEqual(addresses(g).sort(), [
    '10.1.0.5:7000',
    '10.1.0.5:8080',
    '10.1.0.5:9100',
    '10.1.0.6:8080',
    '10.1.0.6:9100',
  ]);
  assert.equal(g.labels[`${M}endpoints_name`], 'web');
  assert.equal(g.labels[`${M}endpoints_label_app`], 'web');
  assert.equal(g.labels[`${M}service_name`], 'web');
  assert.equal(g.labels[`${M}service_label_tier`], 'front-end');
  const [ready, notReady] = g.targets;
  assert.deepEqual(
    Object.fromEntries(Object.entries(ready!).filter(([k]) => !k.startsWith(`${M}pod_`))),
    {
      __address__: '10.1.0.5:8080',
      [`${M}endpoint_port_name`]: 'http',
      [`${M}endpoint_port_protocol`]: 'TCP',
      [`${M}endpoint_ready`]: 'true',
      [`${M}endpoint_address_target_kind`]: 'Pod',
      [`${M}endpoint_address_target_name`]: 'web-0',
      [`${M}endpoint_node_name`]: 'node-a',
      [`${M}endpoint_hostname`]: 'web-0',
    },
  );
  assert.equal(ready![`${M}pod_container_name`], 'web');
  assert.equal(ready![`${M}pod_container_port_name`], 'http');
  assert.equal(ready![`${M}pod_name`], 'web-0');
  assert.equal(notReady![`${M}endpoint_ready`], 'false');
  const uncovered = g.targets.find((t) => t.__address__ === '10.1.0.6:9100')!;
  assert.equal(uncovered[`${M}endpoint_ready`], undefined);
  assert.equal(uncovered[`${M}pod_container_port_name`], 'metrics');
  assert.equal(uncovered[`${M}pod_name`], 'web-1');

  const external = buildEndpointsGroup(find(cluster.endpoints, 'external-db'), lookups(false));
  assert.deepEqual(addresses(external), [
    '192.168.1.1:5432',
    '192.168.1.2:5432',
    '192.168.1.1:8008',
    '192.168.1.2:8008',
  ]);
  assert.equal(external.labels[`${M}service_name`], undefined);
});

test('endpoints with attach_metadata.node: node labels from the address node name', () => {
  const g = buildEndpointsGroup(find(cluster.endpoints, 'web'), lookups(true));
  const t = g.targets.find((x) => x.__address__ === '10.1.0.6:8080')!;
  assert.equal(t[`${M}node_name`], 'node-b');
  const v6 = buildEndpointsGroup(find(cluster.endpoints, 'exporter'), lookups(true));
  assert.equal(v6.targets[0]![`${M}node_name`], undefined);
});

test('endpointslice: optional fields only when set, service by label, no port no port', () => {
  const g = buildEndpointSliceGroup(find(cluster.endpointslices, 'web-abc12'), lookups(false));
  assert.equal(g.source, 'endpointslice/default/web-abc12');
  assert.equal(g.labels[`${M}endpointslice_address_type`], 'IPv4');
  assert.equal(g.labels[`${M}endpointslice_name`], 'web-abc12');
  assert.equal(g.labels[`${M}service_name`], 'web');
  const ready = g.targets.find((t) => t.__address__ === '10.1.0.5:8080')!;
  const S = `${M}endpointslice_`;
  for (const [k, v] of Object.entries({
    port: '8080',
    port_name: 'http',
    port_protocol: 'TCP',
    port_app_protocol: 'http',
    endpoint_conditions_ready: 'true',
    endpoint_conditions_serving: 'true',
    endpoint_conditions_terminating: 'false',
    endpoint_hostname: 'web-0',
    endpoint_node_name: 'node-a',
    endpoint_zone: 'z1',
    address_target_kind: 'Pod',
    address_target_name: 'web-0',
  })) {
    assert.equal(ready[S + k], v, k);
  }
  const notReady = g.targets.find((t) => t.__address__ === '10.1.0.6:8080')!;
  assert.equal(notReady[`${S}endpoint_conditions_serving`], undefined);
  assert.equal(notReady[`${S}endpoint_hostname`], undefined);

  const portless = buildEndpointSliceGroup(
    find(cluster.endpointslices, 'portless'),
    lookups(false),
  );
  assert.deepEqual(addresses(portless), ['10.2.0.1', '10.2.0.2']);
  assert.equal(portless.targets[0]![`${S}port`], undefined);
  assert.equal(portless.targets[0]![`${S}endpoint_conditions_ready`], undefined);
});

test('ingress: per host and path; https for TLS hosts and one-label wildcards', () => {
  const g = buildIngressGroup(find(cluster.ingresses, 'web'));
  assert.equal(g.source, 'ingress/default/web');
  assert.equal(g.labels[`${M}ingress_class_name`], 'nginx');
  const I = `${M}ingress_`;
  assert.deepEqual(
    g.targets.map((t) => [t.__address__, t[`${I}scheme`], t[`${I}path`]]),
    [
      ['web.example.com', 'https', '/'],
      ['web.example.com', 'https', '/api'],
      ['shop.apps.example.com', 'https', '/'],
      ['a.b.apps.example.com', 'http', '/'],
    ],
  );
  const e = buildIngressGroup(find(edge.ingresses, 'edge'));
  assert.equal(e.labels[`${I}class_name`], undefined);
  assert.deepEqual(
    e.targets.map((t) => [t.__address__, t[`${I}scheme`], t[`${I}path`]]),
    [
      ['deep.a.example.com', 'http', '/'],
      ['x.example.com', 'https', '/x'],
    ],
  );
});
