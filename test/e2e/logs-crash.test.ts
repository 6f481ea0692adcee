/**
 * Crash safety of the log store through the HTTP API: a client sends `_bulk` batches to a real
 * `vigil server` while the server is killed with SIGKILL at random moments, 20 times. After each
 * restart every document whose bulk item was acknowledged (201) is found, and no document is
 * found twice.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startVigil, tempDir, type VigilServer } from '../harness/vigil.js';

const CONFIG = 'server:\n  builtin_scrape_jobs: false\n';
const KILLS = 20;
const BATCH = 50;

interface Page {
  data: { hits: { id: string; sort: string }[] };
}

async function allIds(v: VigilServer): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const params = new URLSearchParams({
      index: 'crash',
      limit: '10000',
      order: 'asc',
      track_total: '0',
    });
    if (after !== undefined) params.set('after', after);
    const res = await fetch(`${v.url}/api/v1/logs/search?${params}`);
    const page = (await res.json()) as Page;
    for (const h of page.data.hits) ids.push(h.id);
    if (page.data.hits.length < 10_000) return ids;
    after = page.data.hits[page.data.hits.length - 1]!.sort;
  }
}

test('acknowledged bulk documents survive kill -9 of the server, each exactly once', async (t) => {
  const dataDir = tempDir(t);
  const acked = new Set<string>();
  let next = 0;
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let round = 0; round < KILLS; round++) {
    const v = await startVigil(t, { config: CONFIG, dataDir });
    let killed = false;
    const sender = (async () => {
      while (!killed) {
        const ids = Array.from({ length: BATCH }, () => `doc-${next++}`);
        const body = ids
          .map(
            (id, i) =>
              `{"create":{"_index":"crash","_id":"${id}"}}\n{"@timestamp":${Date.now()},"n":${i},"message":"round ${round}"}\n`,
          )
          .join('');
        try {
          const res = await fetch(`${v.url}/_bulk`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body,
          });
          const out = (await res.json()) as {
            items: { create: { _id: string; status: number } }[];
          };
          for (const item of out.items) if (item.create.status === 201) acked.add(item.create._id);
        } catch {
          return;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 150 + random() * 600));
    killed = true;
    const exit = await v.stop('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    await sender;
  }
  const v = await startVigil(t, { config: CONFIG, dataDir });
  const ids = await allIds(v);
  const seen = new Set<string>();
  const twice = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(twice, [], 'documents found twice');
  const lost = [...acked].filter((id) => !seen.has(id));
  assert.deepEqual(lost, [], `acknowledged documents lost (of ${acked.size})`);
  assert.ok(acked.size > KILLS * BATCH, `only ${acked.size} documents acknowledged`);
});
