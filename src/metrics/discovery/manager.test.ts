import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../../lib/log/logger.js';
import { discoverers, discoveryFingerprint, type DiscoveryConfig } from './index.js';
import type { Discoverer, TargetGroup } from './interface.js';
import { DiscoveryManager, type TargetSets } from './manager.js';

const INTERVAL = 50;

async function setup(t: { after: (fn: () => Promise<void>) => void }, interval = INTERVAL) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-discovery-'));
  const log = new Logger({ write: () => {} });
  const manager = new DiscoveryManager({ log, updateInterval: interval });
  const sent: { at: number; sets: TargetSets }[] = [];
  manager.subscribe((sets) => sent.push({ at: performance.now(), sets }));
  t.after(async () => {
    await manager.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const job = (cfg: Partial<DiscoveryConfig>): [Discoverer[], string] => {
    const full = { static_configs: [], file_sd_configs: [], kubernetes_sd_configs: [], ...cfg };
    return [discoverers(full, { configDir: dir, log }), discoveryFingerprint(full, dir)];
  };
  const apply = (jobs: Record<string, [Discoverer[], string | undefined]>) => {
    const fps = new Map<string, string>();
    for (const [name, [, fp]] of Object.entries(jobs)) if (fp !== undefined) fps.set(name, fp);
    manager.apply(new Map(Object.entries(jobs).map(([name, [ds]]) => [name, ds])), fps);
  };
  /** Addresses per job in the latest update. */
  const latest = () =>
    Object.fromEntries(
      [...(sent.at(-1)?.sets ?? [])].map(([job, gs]) => [
        job,
        gs.flatMap((g) => g.targets.map((x) => x.__address__)).sort(),
      ]),
    );
  const until = async (want: Record<string, string[]>) => {
    const deadline = Date.now() + 20_000;
    while (JSON.stringify(latest()) !== JSON.stringify(want)) {
      if (Date.now() > deadline) assert.deepEqual(latest(), want, 'timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { dir, manager, sent, job, apply, latest, until };
}

const fileCfg = (files: string[]) => ({
  file_sd_configs: [{ files, refresh_interval: 60_000 }],
});

test('the first update waits for every discoverer, then goes out at once', async (t) => {
  // An interval far longer than the discoverers need: a partial update would only go out when
  // it ends, so on a loaded machine too the one update must come from all having reported.
  const slow = 10_000;
  const s = await setup(t, slow);
  await writeFile(join(s.dir, 'a.yml'), '- targets: [f:1]\n');
  const started = performance.now();
  s.apply({
    static: s.job({ static_configs: [{ targets: ['s:1', 's:2'], labels: { x: 'y' } }] }),
    file: s.job(fileCfg(['*.yml'])),
    empty: s.job({}),
  });
  await s.until({ static: ['s:1', 's:2'], file: ['f:1'], empty: [] });
  assert.equal(s.sent.length, 1, 'one complete update, not a partial one first');
  assert.ok(s.sent[0]!.at - started < slow, 'went out when all reported, not after the interval');
  const g = s.sent[0]!.sets.get('static')![0]!;
  assert.deepEqual(g, {
    source: '0',
    targets: [{ __address__: 's:1' }, { __address__: 's:2' }],
    labels: { x: 'y' },
  });
});

test('updates are throttled to one per interval', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.yml'), '- targets: [v:0]\n');
  s.apply({ file: s.job(fileCfg(['a.yml'])) });
  await s.until({ file: ['v:0'] });
  for (let i = 1; i <= 5; i++) {
    await writeFile(join(s.dir, 'a.yml'), `- targets: [v:${i}]\n`);
    await new Promise((r) => setTimeout(r, 120));
  }
  await s.until({ file: ['v:5'] });
  for (let i = 1; i < s.sent.length; i++) {
    // Timers may fire a little early by the clock read here; allow a millisecond.
    assert.ok(s.sent[i]!.at - s.sent[i - 1]!.at >= INTERVAL - 1, `update ${i} too soon`);
  }
});

test('groups of several discoverers of a job are merged, keyed by discoverer and source', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.yml'), '- targets: [f:1]\n');
  await writeFile(join(s.dir, 'b.yml'), '- targets: [g:1]\n');
  const ds = [
    ...s.job({ static_configs: [{ targets: ['s:1'], labels: {} }] })[0],
    ...s.job(fileCfg(['a.yml']))[0],
    ...s.job(fileCfg(['b.yml']))[0],
  ];
  s.manager.apply(new Map([['job', ds]]));
  await s.until({ job: ['f:1', 'g:1', 's:1'] });
  const sources = s.sent
    .at(-1)!
    .sets.get('job')!
    .map((g) => g.source);
  assert.deepEqual(sources, ['0', join(s.dir, 'a.yml:0'), join(s.dir, 'b.yml:0')]);
  // Emptying one file leaves the others' groups alone.
  await writeFile(join(s.dir, 'a.yml'), '[]\n');
  await s.until({ job: ['g:1', 's:1'] });
});

test('apply keeps jobs with the same fingerprint, restarts changed ones, drops removed ones', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.yml'), '- targets: [f:1]\n');
  s.apply({
    keep: s.job(fileCfg(['a.yml'])),
    change: s.job({ static_configs: [{ targets: ['c:1'], labels: {} }] }),
    drop: s.job({ static_configs: [{ targets: ['d:1'], labels: {} }] }),
  });
  await s.until({ keep: ['f:1'], change: ['c:1'], drop: ['d:1'] });

  // A discoverer the manager must never start: the job it is offered for is unchanged.
  let started = false;
  const spy: Discoverer = {
    run: async (_update, signal) => {
      started = true;
      await new Promise((r) => signal.addEventListener('abort', r));
    },
  };
  const [, keepFp] = s.job(fileCfg(['a.yml']));
  s.apply({
    keep: [[spy], keepFp],
    change: s.job({ static_configs: [{ targets: ['c:2'], labels: {} }] }),
    added: s.job({ static_configs: [{ targets: ['n:1'], labels: {} }] }),
  });
  await s.until({ keep: ['f:1'], change: ['c:2'], added: ['n:1'] });
  assert.equal(started, false);
  // The kept file discoverer is still running and watching.
  await writeFile(join(s.dir, 'a.yml'), '- targets: [f:2]\n');
  await s.until({ keep: ['f:2'], change: ['c:2'], added: ['n:1'] });

  // Without a fingerprint a job is always restarted.
  s.apply({ keep: [[spy], undefined] });
  await s.until({ keep: [] });
  assert.equal(started, true);
});

test('stop aborts every discoverer, awaits them and sends nothing more', async (t) => {
  const s = await setup(t);
  let running = 0;
  const slow: Discoverer = {
    run: async (update: (g: TargetGroup[]) => void, signal) => {
      running++;
      update([{ source: 'x', targets: [{ __address__: 'x:1' }], labels: {} }]);
      await new Promise((r) => signal.addEventListener('abort', r));
      await new Promise((r) => setTimeout(r, 50));
      running--;
    },
  };
  s.manager.apply(
    new Map([
      ['a', [slow]],
      ['b', [slow]],
    ]),
  );
  await s.until({ a: ['x:1'], b: ['x:1'] });
  const count = s.sent.length;
  await s.manager.stop();
  assert.equal(running, 0);
  await new Promise((r) => setTimeout(r, INTERVAL * 3));
  assert.equal(s.sent.length, count);
  assert.throws(() => s.manager.apply(new Map()), /manager stopped/);
});

test('a failing discoverer or subscriber is logged and does not stop the others', async (t) => {
  const s = await setup(t);
  const failing: Discoverer = {
    run: () => Promise.reject(new Error('boom')),
  };
  s.manager.subscribe(() => {
    throw new Error('subscriber bug');
  });
  s.manager.apply(
    new Map([
      ['j', [failing, ...s.job({ static_configs: [{ targets: ['s:1'], labels: {} }] })[0]]],
    ]),
  );
  await s.until({ j: ['s:1'] });
  // A discoverer that ended counts as having reported: the first update did not wait for it.
  assert.equal(s.sent.length, 1);
});
