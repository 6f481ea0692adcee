import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../../test/harness/temp.js';
import { fingerprint } from './labels.js';

test('fingerprints are FNV-1a 64 of the sorted labels, as Prometheus computes them', () => {
  // A direct BigInt transcription of FNV-1a 64 over name 0xff value 0xff … as the reference.
  const reference = (labels: Record<string, string>) => {
    let h = 0xcbf29ce484222325n;
    const feed = (bytes: Iterable<number>) => {
      for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    };
    for (const n of Object.keys(labels).sort()) {
      feed(new TextEncoder().encode(n));
      feed([0xff]);
      feed(new TextEncoder().encode(labels[n]!));
      feed([0xff]);
    }
    return h.toString(16).padStart(16, '0');
  };
  assert.equal(fingerprint({}), 'cbf29ce484222325');
  const random = rng(7);
  const chars = 'abcXYZ_09 =,"\\\n\u00e9\u4e2d\ud83d\ude00';
  for (let i = 0; i < 500; i++) {
    const labels: Record<string, string> = {};
    const n = Math.floor(random() * 5);
    for (let j = 0; j < n; j++) {
      const len = Math.floor(random() * 12);
      let v = '';
      for (let k = 0; k < len; k++) v += chars[Math.floor(random() * chars.length)];
      labels[`l${Math.floor(random() * 8)}`] = v;
    }
    assert.equal(fingerprint(labels), reference(labels), JSON.stringify(labels));
  }
});
