/**
 * @module
 * Saved searches under `/api/v1/saved-searches`, in the Prometheus envelope like every `/api/v1`
 * route: list, create, read, replace and delete Discover views shared by everyone on the server.
 * A body that is not a saved search answers 400 `bad_data` naming the field; a name already
 * taken answers 409 with the id holding it, so a client can offer to replace that one.
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalName } from '../../auth/access.js';
import {
  parseSavedSearch,
  SavedSearchValidationError,
  type SavedSearch,
} from '../../../saved-searches/model.js';
import { SavedSearchStoreError, type SavedSearchStore } from '../../../saved-searches/store.js';
import { sendData, sendError } from '../prom-v1/envelope.js';

export interface SavedSearchesApiOptions {
  /** Null while the store is not open (the API answers 503). */
  store: () => SavedSearchStore | null;
}

function view(s: SavedSearch) {
  return {
    ...s,
    created: new Date(s.created).toISOString(),
    updated: new Date(s.updated).toISOString(),
  };
}

const STATUS: Record<SavedSearchStoreError['kind'], number> = {
  not_found: 404,
  exists: 409,
  full: 507,
};

function sendStoreError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SavedSearchValidationError) {
    return reply
      .code(400)
      .send({ status: 'error', errorType: 'bad_data', error: err.message, field: err.field });
  }
  if (err instanceof SavedSearchStoreError) {
    const type = err.kind === 'not_found' ? 'not_found' : 'bad_data';
    return sendError(reply, type, err.message, STATUS[err.kind]);
  }
  throw err;
}

function ownerOf(request: FastifyRequest): string | null {
  return request.principal === null ? null : principalName(request.principal);
}

/**
 * Registers the routes.
 *
 * @example
 * registerSavedSearchRoutes(app, { store: () => searches });
 */
export function registerSavedSearchRoutes(
  app: FastifyInstance,
  options: SavedSearchesApiOptions,
): void {
  const withStore = (reply: FastifyReply): SavedSearchStore | null => {
    const store = options.store();
    if (store === null) sendError(reply, 'unavailable', 'the saved search store is not open yet');
    return store;
  };

  app.get('/api/v1/saved-searches', async (_request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    return sendData(reply, store.list().map(view));
  });

  app.post('/api/v1/saved-searches', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      const saved = store.create(parseSavedSearch(request.body), ownerOf(request));
      return reply.code(201).send({ status: 'success', data: view(saved) });
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });

  app.get<{ Params: { id: string } }>('/api/v1/saved-searches/:id', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    const found = store.get(request.params.id);
    if (found === undefined) {
      return sendError(reply, 'not_found', `saved search "${request.params.id}" not found`);
    }
    return sendData(reply, view(found));
  });

  app.put<{ Params: { id: string } }>('/api/v1/saved-searches/:id', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      const input = parseSavedSearch(request.body);
      return sendData(reply, view(store.update(request.params.id, input, ownerOf(request))));
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });

  app.delete<{ Params: { id: string } }>('/api/v1/saved-searches/:id', async (request, reply) => {
    const store = withStore(reply);
    if (store === null) return reply;
    try {
      return sendData(reply, { id: store.delete(request.params.id).id });
    } catch (err) {
      return sendStoreError(reply, err);
    }
  });
}
