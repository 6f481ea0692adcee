/**
 * @module
 * The parts of Elasticsearch's API that shippers and clients call before they send a document:
 * the root version object (clients check `version.number` and `build_flavor`), `_license`
 * (Filebeat refuses to ship without one), cluster health (Vector, Grafana) and `HEAD
 * /_cat/health` (rsyslog), `_nodes` and `_xpack`. Index templates, ILM policies and ingest
 * pipelines, which shippers install at start, are accepted and ignored: Vigil maps fields by
 * itself and keeps data by its own retention.
 */

import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ES_LUCENE_VERSION, ES_VERSION, productHeader } from './envelope.js';

const CLUSTER = 'vigil';

/**
 * The body of `GET /`.
 *
 * @example
 * rootInfo().version.number; // '8.11.0'
 */
export function rootInfo() {
  return {
    name: hostname(),
    cluster_name: CLUSTER,
    cluster_uuid: 'vigil-log-store',
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: 'vigil',
      build_date: '2023-11-04T10:04:57.184859352Z',
      build_snapshot: false,
      lucene_version: ES_LUCENE_VERSION,
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

/** Answers `GET /` and `HEAD /` as Elasticsearch (the UI takes browsers' requests). */
export function sendRootInfo(reply: FastifyReply): FastifyReply {
  return productHeader(reply).type('application/json').send(rootInfo());
}

const HEALTH = {
  cluster_name: CLUSTER,
  status: 'green',
  timed_out: false,
  number_of_nodes: 1,
  number_of_data_nodes: 1,
  active_primary_shards: 0,
  active_shards: 0,
  relocating_shards: 0,
  initializing_shards: 0,
  unassigned_shards: 0,
  delayed_unassigned_shards: 0,
  number_of_pending_tasks: 0,
  number_of_in_flight_fetch: 0,
  task_max_waiting_in_queue_millis: 0,
  active_shards_percent_as_number: 100,
};

/** Registers the informational and accept-and-ignore endpoints. */
export function registerInfoRoutes(app: FastifyInstance): void {
  app.get('/_license', (_req, reply) =>
    reply.send({
      license: {
        status: 'active',
        uid: 'vigil',
        type: 'basic',
        issue_date_in_millis: 0,
        max_nodes: 1000,
        issued_to: CLUSTER,
        issuer: 'elasticsearch',
        start_date_in_millis: -1,
      },
    }),
  );
  app.get('/_xpack', (_req, reply) =>
    reply.send({
      build: { hash: 'vigil', date: '2023-11-04T10:04:57.184859352Z' },
      license: { uid: 'vigil', type: 'basic', mode: 'basic', status: 'active' },
      features: {},
    }),
  );
  app.get('/_cluster/health', (_req, reply) => reply.send(HEALTH));
  app.get('/_cluster/health/:index', (_req, reply) => reply.send(HEALTH));
  app.get('/_cat/health', (req, reply) => {
    const epoch = Math.floor(Date.now() / 1000);
    const row = { epoch: String(epoch), cluster: CLUSTER, status: 'green', 'node.total': '1' };
    if (wantsJson(req.query)) return reply.send([row]);
    return reply.type('text/plain; charset=UTF-8').send(`${epoch} ${CLUSTER} green 1\n`);
  });
  const node = { name: hostname(), version: ES_VERSION, roles: ['data', 'ingest', 'master'] };
  app.get('/_nodes', (_req, reply) => reply.send(nodes(node)));
  app.get('/_nodes/*', (_req, reply) => reply.send(nodes(node)));
  for (const path of [
    '/_index_template/:name',
    '/_template/:name',
    '/_component_template/:name',
    '/_ilm/policy/:name',
    '/_ingest/pipeline/:name',
  ]) {
    app.put(path, (_req, reply) => reply.send({ acknowledged: true }));
    app.post(path, (_req, reply) => reply.send({ acknowledged: true }));
    // Shippers check for their template before installing it; "missing" makes them install
    // it, which is accepted, so they never fail on it.
    app.head(path, (_req, reply) => reply.code(404).send());
    app.get(path, (_req, reply) => reply.code(404).send({}));
  }
}

function nodes(node: { name: string; version: string; roles: string[] }) {
  return {
    _nodes: { total: 1, successful: 1, failed: 0 },
    cluster_name: CLUSTER,
    nodes: { vigil: { ...node, ingest: { processors: [] } } },
  };
}

function wantsJson(query: unknown): boolean {
  return (query as Record<string, unknown> | undefined)?.format === 'json';
}
