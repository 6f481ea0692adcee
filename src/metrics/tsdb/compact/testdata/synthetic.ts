// Synthetic head snapshots for compaction tests: many series without appending sample by
// sample, so that big blocks can be written (by the worker) in a fraction of the time.
import { Labels } from '../../../model/labels.js';
import { XorChunk } from '../../chunkenc/xor.js';
import type { HeadSnapshot } from '../head-to-block.js';

const H = 3600_000;

/**
 * A snapshot of the 2 h range starting at `from`: series `{__name__="m", i="<i>"}` for i in
 * [0, series), each with `chunks` chunks of 120 samples spread evenly over the range, sample k
 * of a chunk having value k.
 */
export function syntheticSnapshot(from: number, series: number, chunks: number): HeadSnapshot {
  const span = (2 * H) / chunks;
  const step = Math.floor(span / 120);
  const encoded = Array.from({ length: chunks }, (_, c) => {
    const x = new XorChunk();
    const app = x.appender();
    for (let k = 0; k < 120; k++) app.append(from + c * span + k * step, k);
    return x.bytes().slice();
  });
  const perSeries = encoded.reduce((n, d) => n + d.length, 0);
  const keys = Array.from(
    { length: series },
    (_, i) => Labels.fromRecord({ __name__: 'm', i: String(i) }).key,
  );
  const n = series * chunks;
  const buffer = new ArrayBuffer(16 * n + 8 * series + 4 * n + perSeries * series);
  const times = new Float64Array(buffer, 0, 2 * n);
  const keyLengths = new Uint32Array(buffer, 16 * n, series);
  const chunkCounts = new Uint32Array(buffer, 16 * n + 4 * series, series);
  const dataEnds = new Uint32Array(buffer, 16 * n + 8 * series, n);
  const data = new Uint8Array(buffer, 20 * n + 8 * series);
  let end = 0;
  for (let i = 0, ci = 0; i < series; i++) {
    keyLengths[i] = keys[i]!.length;
    chunkCounts[i] = chunks;
    for (let c = 0; c < chunks; c++, ci++) {
      times[2 * ci] = from + c * span;
      times[2 * ci + 1] = from + c * span + 119 * step;
      data.set(encoded[c]!, end);
      end += encoded[c]!.length;
      dataEnds[ci] = end;
    }
  }
  return { minTime: from, maxTime: from + 2 * H, numSeries: series, numChunks: n, keys: keys.join(''), buffer };
}
