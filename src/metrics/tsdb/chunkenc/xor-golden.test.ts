import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32c } from '../../../lib/encoding/crc32c.js';
import { ENCODING_XOR, XorChunk } from './xor.js';

// Chunks written by promtool 2.42; testdata/README.md tells how they were made.
interface Golden {
  name: string;
  samples: [number, string][];
  data: string;
  crc32c: string;
}
const goldens: Golden[] = JSON.parse(
  readFileSync(new URL('./testdata/golden-chunks.json', import.meta.url), 'utf8'),
).chunks;

/** Parses a value as `promtool tsdb dump` prints it; Go's NaN has the payload 1. */
function goFloat(s: string, out: Float64Array, i: number): void {
  if (s === 'NaN') new Uint32Array(out.buffer, i * 8, 2).set([1, 0x7ff80000]);
  else out[i] = s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s);
}

function samplesOf(g: Golden) {
  const ts = g.samples.map(([t]) => t);
  const vs = new Float64Array(ts.length);
  g.samples.forEach(([, v], i) => goFloat(v, vs, i));
  return { ts, vs };
}

const bits = (vs: Float64Array) => new Uint32Array(vs.buffer, vs.byteOffset, vs.length * 2);

test('goldens are intact: their CRC-32C over the encoding byte and data matches', () => {
  assert.ok(goldens.length >= 6);
  for (const g of goldens) {
    const framed = Buffer.concat([Uint8Array.of(ENCODING_XOR), Buffer.from(g.data, 'hex')]);
    assert.equal(crc32c(framed).toString(16).padStart(8, '0'), g.crc32c, g.name);
  }
});

test('our encoder writes the bytes Prometheus wrote', () => {
  for (const g of goldens) {
    const { ts, vs } = samplesOf(g);
    const chunk = new XorChunk();
    const app = chunk.appender();
    for (let i = 0; i < ts.length; i++) app.append(ts[i]!, vs[i]!);
    assert.equal(Buffer.from(chunk.bytes()).toString('hex'), g.data, g.name);
  }
});

test('our iterator reads the samples Prometheus wrote', () => {
  for (const g of goldens) {
    const want = samplesOf(g);
    const it = new XorChunk(Buffer.from(g.data, 'hex')).iterator();
    const ts: number[] = [];
    const vs = new Float64Array(want.ts.length);
    while (it.next()) {
      vs[ts.length] = it.atV();
      ts.push(it.atT());
    }
    assert.equal(it.err(), null, g.name);
    assert.deepEqual(ts, want.ts, g.name);
    assert.deepEqual(bits(vs), bits(want.vs), g.name);
  }
});

test("an appender resumed on wrapped bytes continues the chunk to Prometheus' bytes", () => {
  for (const g of goldens) {
    const { ts, vs } = samplesOf(g);
    const whole = Buffer.from(g.data, 'hex');
    // Every golden's values change within its first half, so the cut falls where an XOR window
    // is open and Prometheus' restore quirk (xor.test.ts) does not apply.
    const k = ts.length >> 1;
    const head = new XorChunk();
    const app = head.appender();
    for (let i = 0; i < k; i++) app.append(ts[i]!, vs[i]!);
    const chunk = new XorChunk(head.bytes().slice());
    const rest = chunk.appender();
    for (let i = k; i < ts.length; i++) rest.append(ts[i]!, vs[i]!);
    assert.deepEqual(Buffer.from(chunk.bytes()), whole, g.name);
  }
});
