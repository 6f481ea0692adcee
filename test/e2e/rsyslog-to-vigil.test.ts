/**
 * Debian's rsyslog ships syslog messages with omelasticsearch (rsyslog-elasticsearch) into
 * Vigil's Elasticsearch `_bulk` API, unchanged from how it ships to Elasticsearch; the messages
 * are then found by KQL.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HAVE_RSYSLOG_ES, startRsyslog } from '../harness/rsyslog.js';
import { startVigil } from '../harness/vigil.js';

test(
  'rsyslog omelasticsearch ships into _bulk and KQL finds the messages',
  { skip: HAVE_RSYSLOG_ES ? false : 'needs Debian packages rsyslog and rsyslog-elasticsearch' },
  async (t) => {
    const vigil = await startVigil(t, { config: 'server:\n  builtin_scrape_jobs: false\n' });
    const rs = await startRsyslog(t, vigil.port, 'syslog');
    const stamp = 'Nov 30 12:00:00';
    await rs.send([
      `<11>${stamp} web-1 nginx[42]: upstream timed out while reading response header`,
      `<14>${stamp} web-1 nginx[42]: GET /healthz 200`,
      `<30>${stamp} db-1 postgres[7]: checkpoint complete: wrote 12 buffers`,
      `<12>${stamp} db-1 kernel: Out of memory: Killed process 7 (postgres)`,
    ]);
    const find = async (q: string) => {
      const res = await fetch(
        `${vigil.url}/api/v1/logs/search?${new URLSearchParams({ q, index: 'syslog' })}`,
      );
      const body = (await res.json()) as { data: { hits: { source: Record<string, unknown> }[] } };
      return body.data.hits.map((h) => h.source);
    };
    const deadline = Date.now() + 20_000;
    while ((await find('')).length < 4) {
      if (Date.now() > deadline) assert.fail(`rsyslog's messages did not arrive:\n${rs.log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const timedOut = await find('program:nginx and message:"timed out"');
    assert.equal(timedOut.length, 1);
    assert.equal(timedOut[0]!.host, 'web-1');
    assert.equal(timedOut[0]!.severity, 'err');
    assert.deepEqual(
      (await find('host:db-1 and not severity:info')).map((s) => s.program),
      ['kernel'],
    );
    assert.equal((await find('message:oom*')).length, 0);
    assert.equal((await find('message:memory')).length, 1);
    assert.doesNotMatch(rs.log(), /error/i);
  },
);
