import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { AgentRegistry, registerAgentsRoute } from './agents.js';

/** A server whose `/ingest` records like the native ingest route, and the agents route. */
async function server(clock: () => number) {
  const app = Fastify();
  app.decorateRequest('principal', null);
  const agents = new AgentRegistry(clock);
  app.post('/ingest', async (request) => {
    agents.record(request, { index: 'logs-agent', documents: 3, bytes: 120 });
    return {};
  });
  registerAgentsRoute(app, agents);
  await app.ready();
  return { app, agents };
}

const agentHeaders = (node: string, buffered = '0') => ({
  'x-vigil-agent': node,
  'x-vigil-agent-version': '1.2.3',
  'x-vigil-agent-buffered-bytes': buffered,
  'x-vigil-agent-unread-bytes': '17',
});

test('agents: recorded per node from their headers, newest first, others ignored', async () => {
  let now = 1_000_000;
  const { app } = await server(() => now);
  const send = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/ingest', headers, payload: '' });
  await send(agentHeaders('node-a', '4096'));
  now += 1000;
  await send(agentHeaders('node-b'));
  now += 1000;
  await send(agentHeaders('node-a', 'lots'));
  await send({}); // curl: not an agent
  const res = await app.inject({ method: 'GET', url: '/api/v1/status/agents' });
  const agents = (res.json() as { data: Record<string, unknown>[] }).data;
  assert.deepEqual(
    agents.map((a) => [
      a.node,
      a.version,
      a.requests,
      a.documents,
      a.bytes,
      a.bufferedBytes,
      a.unreadBytes,
    ]),
    [
      ['node-a', '1.2.3', 2, 6, 240, null, 17],
      ['node-b', '1.2.3', 1, 3, 120, 0, 17],
    ],
  );
  assert.equal(agents[0]!.firstSeen, new Date(1_000_000).toISOString());
  assert.equal(agents[0]!.lastSeen, new Date(1_002_000).toISOString());
  assert.equal(agents[0]!.index, 'logs-agent');
});

test('agents: one unheard of for a day is forgotten', async () => {
  let now = 0;
  const { app, agents } = await server(() => now);
  await app.inject({ method: 'POST', url: '/ingest', headers: agentHeaders('old'), payload: '' });
  now = 23 * 3_600_000;
  await app.inject({ method: 'POST', url: '/ingest', headers: agentHeaders('new'), payload: '' });
  assert.deepEqual(
    agents.list().map((a) => a.node),
    ['new', 'old'],
  );
  now = 24 * 3_600_000 + 1;
  assert.deepEqual(
    agents.list().map((a) => a.node),
    ['new'],
  );
});
