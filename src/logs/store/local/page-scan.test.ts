import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, fstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/harness/temp.js';
import { decodeColumn } from './column.js';
import { scanHere, scanPages, scansInFlight } from './page-scan.js';
import { BLOCK_DOCS, decodeSection, pagesOf, type Section } from './segment-format.js';
import { PAGE_OUT_BYTES } from './segment-block.js';
import { SegmentReader } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';

const WORDS = ['alpha', 'Kraken', 'KRAKEN', 'krakens', 'xkraken', 'kraken_1', 'kraken-2', 'beta'];

/** A segment whose message pages hold `kraken` in several cases and beside other bytes. */
function write(path: string): SegmentReader {
  const docs = BLOCK_DOCS;
  writeSegment(path, {
    index: 'logs',
    length: docs,
    ids: Array.from({ length: docs }, (_, i) => `d-${i}`),
    ms: Array.from({ length: docs }, (_, i) => 1_700_000_000_000 + i),
    ns: Array.from({ length: docs }, () => 0),
    source: (i: number) => ({
      message:
        `${WORDS[i % WORDS.length]} ${i} ${(i * 7919).toString(36).repeat(8)} \u212aRAKEN`.slice(
          0,
          i % 5 === 0 ? 40 : 200,
        ),
      tags: i % 11 === 0 ? ['kraken', i] : [i],
    }),
    rawBytes: docs * 100,
  });
  return SegmentReader.open(path);
}

test('page scan: the worker marks the documents findTokens marks, page by page and word by word', async (t) => {
  const seg = write(join(tempDir(t), 'a.seg'));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const pages = pagesOf(entry)!;
  assert.ok(pages.length > 2, `${pages.length} pages`);
  const tokens = ['kraken', 'alpha', 'absent'];
  const scanned = await scanPages(
    seg,
    pages.map((p) => ({ section: p.section, docs: p.docs })),
    tokens,
    PAGE_OUT_BYTES,
  );
  assert.equal(scanned.length, pages.length);
  let marked = 0;
  pages.forEach((p, k) => {
    const raw = decodeSection(
      seg.footer.version,
      seg.footer.codec,
      seg.readSection(p.section, { bytesRead: 0 }),
    );
    assert.equal(scanned[k]!.raw, undefined);
    const col = decodeColumn(raw, p.docs);
    const any = new Uint8Array(p.docs);
    tokens.forEach((token, w) => {
      const rows = new Uint8Array(p.docs);
      col.findTokens!([token], rows);
      assert.deepEqual(scanned[k]!.hits![w], rows, `page ${k}, ${token}`);
      marked += rows.reduce((a, b) => a + b, 0);
      rows.forEach((v, i) => (any[i]! |= v));
    });
    // The documents marked for some word come back with their values and their strings' bytes.
    const m = scanned[k]!.marked!;
    const docs: number[] = [];
    const strings: string[] = [];
    for (let j = 0; j < m.ranges.length; j += 2 + 2 * m.ranges[j + 1]!) {
      docs.push(m.ranges[j]!);
      for (let r = j + 2; r < j + 2 + 2 * m.ranges[j + 1]!; r += 2) {
        strings.push(m.bytes.toString('utf8', m.ranges[r]!, m.ranges[r + 1]!));
      }
    }
    assert.deepEqual(
      docs,
      [...any.keys()].filter((i) => any[i] === 1),
    );
    assert.deepEqual(
      m.values,
      docs.map((i) => col.values(i)),
    );
    assert.deepEqual(
      strings,
      docs.flatMap((i) => col.values(i).filter((v) => typeof v === 'string')),
    );
  });
  assert.ok(marked > pages.length, `${marked} marks`);
});

/** A copy of `seg`'s file with bytes 8 to 64 of `section` overwritten, opened. */
function broken(seg: SegmentReader, section: Section, path: string): SegmentReader {
  copyFileSync(seg.path, path);
  const bytes = readFileSync(path);
  bytes.fill(0xff, section[0] + 8, section[0] + 64);
  writeFileSync(path, bytes);
  return SegmentReader.open(path);
}

test('page scan: a page that fails to decompress or to read fails the scan, and the next scan works', async (t) => {
  const dir = tempDir(t);
  const seg = write(join(dir, 'a.seg'));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const page = pagesOf(entry)![0]!;
  const bad = broken(seg, page.section, join(dir, 'bad.seg'));
  t.after(() => bad.release());
  const one = (file: SegmentReader, section = page.section) =>
    scanPages(file, [{ section, docs: page.docs }], ['kraken'], PAGE_OUT_BYTES);
  await assert.rejects(one(bad), /cannot scan pages/);
  await assert.rejects(
    one(seg, [seg.bytes - 10, 100]),
    new RegExp(
      `cannot scan pages: cannot read segment: .*a\\.seg: unexpected end at offset ${seg.bytes}`,
    ),
  );
  const [ok] = await one(seg);
  assert.equal(ok!.hits![0]!.length, page.docs);
});

test('page scan: the segment stays open until the scans reading it end', async (t) => {
  const seg = write(join(tempDir(t), 'a.seg'));
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const pages = pagesOf(entry)!;
  const fd = seg.fd;
  const scans = Array.from({ length: 4 }, () =>
    scanPages(
      seg,
      pages.map((p) => ({ section: p.section, docs: p.docs })),
      ['kraken'],
      PAGE_OUT_BYTES,
    ),
  );
  // The search that asked is gone (its reader released) before the worker has read the pages.
  seg.release();
  assert.doesNotThrow(() => fstatSync(fd));
  const [first, ...rest] = await Promise.all(scans);
  for (const other of rest) assert.deepEqual(other, first);
  assert.ok(first!.some((p) => p.hits![0]!.includes(1)));
  assert.throws(() => fstatSync(fd), { code: 'EBADF' });
  assert.throws(
    () => scanPages(seg, [{ section: pages[0]!.section, docs: 1 }], ['kraken'], PAGE_OUT_BYTES),
    /cannot use segment .*a\.seg: already closed/,
  );
});

test('page scan: scans past the two the worker holds wait here, and this thread can run them with the same result', async (t) => {
  const dir = tempDir(t);
  const seg = write(join(dir, 'a.seg'));
  t.after(() => seg.release());
  const entry = seg.footer.blocks[0]!.cols.find(([p]) => seg.footer.paths[p] === 'message')!;
  const pages = pagesOf(entry)!;
  const bad = broken(seg, pages[1]!.section, join(dir, 'bad.seg'));
  t.after(() => bad.release());
  const scan = (file = seg) =>
    scanPages(
      file,
      pages.map((p) => ({ section: p.section, docs: p.docs })),
      ['kraken'],
      PAGE_OUT_BYTES,
    );
  const scans = Array.from({ length: 5 }, () => scan());
  assert.equal(scansInFlight(), 5);
  assert.equal(scanHere(), true);
  assert.equal(scanHere(), true);
  assert.equal(scanHere(), true);
  assert.equal(scanHere(), false);
  assert.equal(scansInFlight(), 2);
  const [first, ...rest] = await Promise.all(scans);
  for (const other of rest) assert.deepEqual(other, first);

  // A page that fails fails its own scan only, on the worker or here.
  const onWorker = [scan(bad), scan()];
  const here = [scan(bad), scan()];
  assert.equal(scanHere(), true);
  assert.equal(scanHere(), true);
  await assert.rejects(here[0]!, /cannot scan pages/);
  assert.deepEqual(await here[1], first);
  await assert.rejects(onWorker[0]!, /cannot scan pages/);
  assert.deepEqual(await onWorker[1], first);
});
