/**
 * @module
 * The dashboards API under `/api/v1/dashboards`, in the Prometheus envelope like every `/api/v1`
 * route: list (with `?query=` search over titles and tags, `?tag=`), create, read, replace and
 * delete. A body that is not a valid dashboard answers 400 `bad_data` naming the field; a
 * provisioned dashboard answers 403 to changes; a save based on an old `version` answers 409.
 */

import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import {
  DashboardValidationError,
  parseDashboard,
  type Dashboard,
} from '../../../dashboards/model.js';
import {
  DashboardStoreError,
  type DashboardStore,
  type StoredDashboard,
} from '../../../dashboards/store.js';
import { sendData, sendError } from '../prom-v1/envelope.js';

export interface DashboardsApiOptions {
  /** Null while the store is not open (the API answers 503). */
  store: () => DashboardStore | null;
}

/** One entry of the list: enough to show and search it without the panels. */
function summary({ dashboard: d, meta }: StoredDashboard) {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description ?? '',
    tags: d.tags,
    panels: d.panels.length,
    version: d.version,
    provisioned: meta.provisioned,
    updated: new Date(meta.updated).toISOString(),
  };
}

function full({ dashboard, meta }: StoredDashboard) {
  return {
    dashboard,
    meta: {
      provisioned: meta.provisioned,
      created: new Date(meta.created).toISOString(),
      updated: new Date(meta.updated).toISOString(),
    },
  };
}

const STATUS: Record<DashboardStoreError['kind'], number> = {
  not_found: 404,
  exists: 409,
  read_only: 403,
  version_mismatch: 409,
};

function sendStoreError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof DashboardValidationError) {
    return reply.code(400).send({
      status: 'error',
      errorType: 'bad_data',
      error: err.message,
      field: err.field,
      problems: err.problems,
    });
  }
  if (err instanceof DashboardStoreError) {
    const type = err.kind === 'not_found' ? 'not_found' : 'bad_data';
    return sendError(reply, type, err.message, STATUS[err.kind]);
  }
  throw err;
}

/** A uid for a dashboard created without one: 12 URL-safe characters, like Grafana's. */
function newUid(): string {
  return randomBytes(9).toString('base64url');
}

function matches(s: StoredDashboard, query: string, tags: readonly string[]): boolean {
  const d = s.dashboard;
  if (tags.some((t) => !d.tags.includes(t))) return false;
  if (query === '') return true;
  const hay = `${d.title}\n${d.tags.join('\n')}\n${d.description ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '')
    .every((w) => hay.includes(w));
}

/**
 * Registers the routes.
 *
 * @example
 * registerDashboardRoutes(app, { store: () => dashboards });
 */
export function registerDashboardRoutes(app: FastifyInstance, options: DashboardsApiOptions): void {
  const withStore = (reply: FastifyReply): DashboardStore | null => {
    const store = options.store();
    if (store === null) sendError(reply, 'unavailable', 'the dashboard store is not open yet');
    return store;
  };

  app.get<{ Querystring: { query?: string; tag?: string | string[] } }>(
    '/api/v1/dashboards',
    async (request, reply) => {
      const store = withStore(reply);
      if (store === null) return reply;
      const tag = request.query.tag;
      const tags = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag];
      const query = request.query.query ?? '';
      return sendData(
        reply,
        store
          .list()
          .filter((s) => matches(s, query, tags))
          .map(summary),
      );
    },
  );

  app.post('/api/v1/dashboards', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      const body = request.body;
      const doc =
        typeof body === 'object' && body !== null && !('uid' in body && body.uid !== '')
          ? { ...body, uid: newUid() }
          : body;
      const created = store.create(parseDashboard(doc));
      return reply.code(201).send({ status: 'success', data: full(created) });
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });

  app.get<{ Params: { uid: string } }>('/api/v1/dashboards/:uid', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    const found = store.get(request.params.uid);
    if (found === undefined) {
      return sendError(reply, 'not_found', `dashboard "${request.params.uid}" not found`);
    }
    return sendData(reply, full(found));
  });

  app.put<{ Params: { uid: string } }>('/api/v1/dashboards/:uid', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      const body = request.body;
      // The uid comes from the path when the body leaves it out.
      const doc =
        typeof body === 'object' && body !== null && !('uid' in body)
          ? { ...body, uid: request.params.uid }
          : body;
      const dashboard: Dashboard = parseDashboard(doc);
      return sendData(reply, full(store.update(request.params.uid, dashboard)));
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });

  app.delete<{ Params: { uid: string } }>('/api/v1/dashboards/:uid', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      store.delete(request.params.uid);
      return sendData(reply, { uid: request.params.uid });
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });
}
