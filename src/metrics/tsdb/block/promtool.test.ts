// Interoperability with the real peer: Debian's promtool (Prometheus 2.42) writes blocks we read,
// and reads blocks we write. Skipped where promtool is missing, except in CI.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Labels } from '../../model/labels.js';
import { ENCODING_XOR, XorChunk } from '../chunkenc/xor.js';
import { openBlock } from './read-block.js';
import { type BlockSeries, writeBlock } from './write-block.js';
import { isUlid } from './ulid.js';
import { tempDir } from '../../../../test/harness/temp.js';

const PROMTOOL = '/usr/bin/promtool';
const skip = !existsSync(PROMTOOL) && !process.env.CI ? 'promtool not installed' : false;

function promtool(...args: string[]): string {
  return execFileSync(PROMTOOL, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** `promtool tsdb dump` needs a wal/ directory next to the blocks. */
function dump(dir: string, ...flags: string[]): string[] {
  mkdirSync(join(dir, 'wal'), { recursive: true });
  return promtool('tsdb', 'dump', ...flags, dir)
    .split('\n')
    .filter((l) => l !== '');
}

interface ListedBlock {
  ulid: string;
  minTime: number;
  maxTime: number;
  samples: number;
  chunks: number;
  series: number;
}

function list(dir: string): ListedBlock[] {
  const [, ...rows] = promtool('tsdb', 'list', dir).trim().split('\n');
  return rows.map((row) => {
    const [ulid, minTime, maxTime, , samples, chunks, series] = row.trim().split(/\s+/);
    return {
      ulid: ulid!,
      minTime: Number(minTime),
      maxTime: Number(maxTime),
      samples: Number(samples),
      chunks: Number(chunks),
      series: Number(series),
    };
  });
}

const T0 = 1_700_000_000; // s
const STEP = 15; // s
const POINTS = 720; // 3 h: promtool cuts two 2-hour-aligned blocks and several chunks per series

/**
 * OpenMetrics text for 24 series over two families, with non-ASCII and long label values, and
 * the samples it holds by series key.
 */
function openMetrics(): { text: string; expected: Map<string, [number, number][]> } {
  const expected = new Map<string, [number, number][]>();
  const lines: string[] = ['# TYPE http_requests counter'];
  const family = (
    name: string,
    sets: Record<string, string>[],
    value: (s: number, i: number) => number,
  ) => {
    sets.forEach((set, s) => {
      const labels = Labels.fromRecord({ __name__: name, ...set });
      const samples: [number, number][] = [];
      const text = Object.entries(set)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      for (let i = 0; i < POINTS; i++) {
        const t = T0 + i * STEP;
        const v = value(s, i);
        samples.push([t * 1000, v]);
        lines.push(`${name}{${text}} ${v} ${t}`);
      }
      expected.set(labels.key, samples);
    });
  };
  const paths = ['/', '/api', '/ü/\u{1F600}', '/\uFFFD'];
  family(
    'http_requests_total',
    ['200', '500'].flatMap((code) =>
      ['get', 'post'].flatMap((method) => paths.map((path) => ({ code, method, path }))),
    ),
    (s, i) => s * 1000 + i * (s + 1),
  );
  lines.push('# TYPE temperature_celsius gauge');
  const rooms = ['kü', '中文', 'r'.repeat(300), 'attic', 'cellar', 'hall', 'x\u{1F600}', 'x\uFFFD'];
  family(
    'temperature_celsius',
    rooms.map((room) => ({ room })),
    (s, i) => 20 + s * 0.25 + (i % 40) / 8,
  );
  lines.push('# EOF', '');
  return { text: lines.join('\n'), expected };
}

/** Runs promtool create-blocks-from on the generated text; returns the output dir and expectations. */
function promtoolBlocks(t: TestContext) {
  const dir = tempDir(t, 'vigil-promtool-');
  const { text, expected } = openMetrics();
  writeFileSync(join(dir, 'input.om'), text);
  const out = join(dir, 'promtool');
  promtool('tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'input.om'), out);
  const blocks = readdirSync(out).filter(isUlid).sort();
  return { dir, out, blocks, expected };
}

/** Every series of a block with its raw chunks, in index order. */
function readSeries(dir: string): BlockSeries[] {
  const b = openBlock(dir);
  try {
    return [...b.index.allPostings()].map((ref) => {
      const s = b.index.series(ref);
      return {
        labels: s.labels,
        chunks: s.chunks.map((c) => ({ mint: c.mint, maxt: c.maxt, ...b.chunks.chunk(c.ref) })),
      };
    });
  } finally {
    b.close();
  }
}

test('we read every series, chunk and sample of blocks promtool wrote', { skip }, (t) => {
  const { out, blocks, expected } = promtoolBlocks(t);
  assert.equal(blocks.length, 2);
  const got = new Map<string, [number, number][]>();
  for (const ulid of blocks) {
    const b = openBlock(join(out, ulid));
    t.after(() => b.close());
    let samples = 0;
    let chunks = 0;
    let series = 0;
    let prev: Labels | undefined;
    for (const ref of b.index.allPostings()) {
      const s = b.index.series(ref);
      if (prev !== undefined) assert.ok(prev.compare(s.labels) < 0, 'series in label order');
      prev = s.labels;
      series++;
      const list = got.get(s.labels.key) ?? [];
      got.set(s.labels.key, list);
      for (const meta of s.chunks) {
        chunks++;
        const c = b.chunks.chunk(meta.ref);
        assert.equal(c.encoding, ENCODING_XOR);
        const it = new XorChunk(c.data).iterator();
        const before = list.length;
        while (it.next()) list.push([it.atT(), it.atV()]);
        assert.equal(it.err(), null);
        assert.equal(list[before]![0], meta.mint);
        assert.equal(list[list.length - 1]![0], meta.maxt);
        samples += list.length - before;
        assert.ok(meta.mint >= b.meta.minTime && meta.maxt < b.meta.maxTime);
      }
    }
    assert.deepEqual(b.meta.stats, { numSamples: samples, numSeries: series, numChunks: chunks });
    assert.deepEqual(b.meta.compaction, { level: 1, sources: [ulid] });
    assert.ok(chunks > series, 'several chunks per series');
  }
  assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), 'the same series');
  for (const [key, samples] of expected) {
    assert.deepEqual(got.get(key), samples, Labels.fromKey(key).toString());
  }
  const b = openBlock(join(out, blocks[0]!));
  t.after(() => b.close());
  assert.deepEqual(b.index.labelNames(), ['__name__', 'code', 'method', 'path', 'room']);
  assert.deepEqual(
    b.index.labelValues('path'),
    ['/', '/api', '/ü/\u{1F600}', '/\uFFFD'].sort((x, y) =>
      Buffer.compare(Buffer.from(x), Buffer.from(y)),
    ),
  );
  assert.equal(b.index.postings('path', '/ü/\u{1F600}').length, 4);
});

test('promtool reads blocks we rewrote from its own, sample for sample', { skip }, (t) => {
  const { dir, out, blocks } = promtoolBlocks(t);
  const ours = join(dir, 'ours');
  mkdirSync(ours);
  for (const ulid of blocks) {
    const b = openBlock(join(out, ulid));
    const { minTime, maxTime } = b.meta;
    b.close();
    writeBlock(ours, { minTime, maxTime, series: readSeries(join(out, ulid)) });
  }
  const theirs = list(out);
  const mine = list(ours);
  assert.equal(mine.length, theirs.length);
  mine.forEach((m, i) => assert.deepEqual({ ...m, ulid: '' }, { ...theirs[i]!, ulid: '' }));

  const theirDump = dump(out);
  assert.equal(theirDump.length, 24 * POINTS);
  assert.deepEqual(dump(ours), theirDump);
  for (const m of mine) assert.match(promtool('tsdb', 'analyze', ours, m.ulid), /Series: 24\n/);
});

test(
  'promtool lists, analyzes and dumps a 1000-series block we wrote from scratch',
  { skip },
  (t) => {
    const dir = tempDir(t, 'vigil-promtool-');
    // U+FFFC rather than U+FFFD: PromQL's lexer takes a literal U+FFFD for invalid UTF-8.
    const odd = ['\u{1F600}', '\uFFFC', 'ü', '中', '\uE000', 'z'];
    const series: BlockSeries[] = [];
    for (let i = 0; i < 1000; i++) {
      const record: Record<string, string> = {
        __name__: `metric_${i % 10}`,
        instance: `${odd[i % odd.length]}-${i % 97}`,
      };
      if (i % 3 === 0) record.long = `${i}-`.padEnd(2000 + i, 'ł');
      if (i % 7 === 0) record[`extra_${i % 5}`] = `v${i}`;
      const c = new XorChunk();
      const app = c.appender();
      for (let k = 0; k < 5; k++) app.append(1_700_000_000_000 + k * 10_000 + i, i + k / 4);
      const chunk = {
        mint: 1_700_000_000_000 + i,
        maxt: 1_700_000_040_000 + i,
        encoding: ENCODING_XOR,
        data: c.bytes().slice(),
      };
      series.push({ labels: Labels.fromRecord(record), chunks: [chunk] });
    }
    series.sort((a, b) => a.labels.compare(b.labels));
    const ulid = writeBlock(
      dir,
      { minTime: 1_700_000_000_000, maxTime: 1_700_000_100_000, series },
      { segmentSize: 16 * 1024 },
    );
    assert.ok(readdirSync(join(dir, ulid, 'chunks')).length > 1, 'several segments');

    assert.deepEqual(list(dir), [
      {
        ulid,
        minTime: 1_700_000_000_000,
        maxTime: 1_700_000_100_000,
        samples: 5000,
        chunks: 1000,
        series: 1000,
      },
    ]);
    const analysis = promtool('tsdb', 'analyze', dir, ulid);
    assert.match(analysis, /Series: 1000\n/);
    const names = new Set(series.flatMap((s) => s.labels.names()));
    assert.match(analysis, new RegExp(`Label names: ${names.size}\n`));
    assert.equal(dump(dir).length, 5000);
    // Postings lookups in Prometheus' reader binary-search our byte-ordered offset table.
    for (const value of ['\u{1F600}-0', '\uFFFC-1', '\uE000-4', 'z-5']) {
      const want = series
        .filter((s) => s.labels.get('instance') === value)
        .flatMap((s) => [0, 1, 2, 3, 4].map((k) => s.chunks[0]!.mint + k * 10_000))
        .sort();
      const got = dump(dir, `--match={instance=${JSON.stringify(value)}}`).map((l) =>
        Number(l.split(' ').at(-1)),
      );
      assert.ok(want.length > 0, value);
      assert.deepEqual(got.sort(), want, value);
    }
  },
);
