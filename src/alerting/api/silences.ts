/**
 * @module
 * `GET|POST /api/v2/silences` and `GET|DELETE /api/v2/silence/{id}`. Lists come active first
 * (soonest to end first), then pending (soonest to start), then expired (latest ended first), as
 * Alertmanager sorts them; `filter` keeps silences whose matchers' values match it.
 */

import type { FastifyInstance } from 'fastify';
import type { Alertmanager } from '../alertmanager.js';
import {
  InvalidSilenceError,
  SilenceNotFoundError,
  silenceState,
  type Silence,
} from '../silences.js';
import { filterMatchers, type Query } from './query.js';
import { ApiError, gettableSilence, readPostableSilence } from './wire.js';

const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const;

function sortSilences(list: Silence[], now: number): Silence[] {
  return list.sort((a, b) => {
    const sa = silenceState(a, now);
    const sb = silenceState(b, now);
    if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
    if (sa === 'active') return a.endsAt - b.endsAt;
    if (sa === 'pending') return a.startsAt - b.startsAt;
    return b.endsAt - a.endsAt;
  });
}

export function registerSilenceRoutes(app: FastifyInstance, am: Alertmanager): void {
  app.get('/silences', async (request) => {
    const filter = filterMatchers(request.query as Query);
    const now = am.clock.now();
    const list = am.silences.list().filter((s) =>
      filter.every((f) => {
        const own = s.matchers.find((m) => m.name === f.name);
        return own !== undefined && f.matches({ [f.name]: own.value });
      }),
    );
    return sortSilences(list, now).map((s) => gettableSilence(s, now));
  });

  app.post('/silences', async (request) => {
    const input = readPostableSilence(request.body);
    if (input.startsAt >= input.endsAt) {
      throw new ApiError(400, 'Failed to create silence: start time must be before end time');
    }
    if (input.endsAt < am.clock.now()) {
      throw new ApiError(400, "Failed to create silence: end time can't be in the past");
    }
    try {
      return { silenceID: am.silences.set(input) };
    } catch (err) {
      if (err instanceof SilenceNotFoundError) throw new ApiError(404, err.message);
      if (err instanceof InvalidSilenceError) throw new ApiError(400, err.message);
      throw err;
    }
  });

  app.get('/silence/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const s = am.silences.get(id);
    if (s === undefined) return reply.code(404).send();
    return gettableSilence(s, am.clock.now());
  });

  app.delete('/silence/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      am.silences.expire(id);
    } catch (err) {
      if (err instanceof SilenceNotFoundError) return reply.code(404).send();
      throw new ApiError(500, (err as Error).message);
    }
    return reply.code(200).send();
  });
}
