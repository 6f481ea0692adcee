import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobAssembler, type JobMessage, jobMessages, PIECE_VALUES } from './job-message.js';
import type { FlushJob, MergeJob } from './jobs.js';
import { IndexMapping } from './mapping.js';
import { MemIndex, withColumns } from './memory-part.js';

test('a flush job goes as its head and pieces of its ids and columns, and comes back whole', () => {
  // A small part, and one whose ids and columns take several pieces each.
  const sizes = [5, PIECE_VALUES + 7];
  const parts = ['a', 'b'].map((index, k) => {
    const mem = new MemIndex();
    const mapping = new IndexMapping();
    for (let i = 0; i < sizes[k]!; i++) {
      const source = { level: 'info', n: i * k, tags: ['x', true], nested: { deep: `v${i}` } };
      mem.add(`${index}${i}`, 1_000 + i, i, source, JSON.stringify(source), 40, mapping);
    }
    return withColumns(mem.flushPart(index));
  });
  const job: FlushJob = {
    kind: 'flush',
    dir: '/d',
    toSeq: 3,
    parts,
    unindexed: {},
    codec: 'brotli',
  };
  // Cloned as postMessage would, so the pieces share nothing with the job.
  const messages = [...jobMessages(9, job)].map((m) => structuredClone(m));
  const columns = parts.reduce((n, p) => n + p.cols.paths.length, 0);
  assert.ok(columns >= 8);
  // Part a: one piece of ids and one per column. Part b: 2 pieces of ids; level and tags repeat
  // their values, so they go with codes in one piece each; n and nested.deep take 2 pieces each.
  const b = parts[1]!.cols;
  assert.deepEqual(
    b.paths.filter((_, c) => b.codes[c] !== undefined),
    ['level', 'tags'],
  );
  assert.equal(messages.length, 1 + (1 + parts[0]!.cols.paths.length) + 2 + (1 + 2 + 1 + 2));
  const assembler = new JobAssembler();
  const back = messages.map((m) => assembler.add(m));
  assert.ok(back.slice(0, -1).every((j) => j === undefined));
  assert.deepEqual(back.at(-1), job);
  // A column of a job that is not being put together is a bug, not something to guess at.
  assert.throws(() => assembler.add(messages[1] as JobMessage), /no flush job is open/);
});

test('a merge job is one message', () => {
  const job: MergeJob = {
    kind: 'merge',
    dir: '/d',
    inputs: [],
    output: { index: 'a', day: '2026-11-30', name: 'm1' },
    unindexed: [],
    codec: 'brotli',
  };
  const messages = [...jobMessages(1, job)];
  assert.equal(messages.length, 1);
  assert.deepEqual(new JobAssembler().add(messages[0]!), job);
});
