/**
 * @module
 * Protobuf fields written by hand for tests of the Loki push decoder: field keys, nested
 * messages and strings on a {@link ByteWriter}.
 */

import { ByteWriter } from '../../../lib/encoding/byte-writer.js';

/** Writes a field key: field number `n`, wire type `wire`. */
export function field(w: ByteWriter, n: number, wire: number): void {
  w.uvarint((n << 3) | wire);
}

/** Writes field `n` as a length-delimited message that `build` fills. */
export function bytesField(w: ByteWriter, n: number, build: (w: ByteWriter) => void): void {
  const inner = new ByteWriter(64);
  build(inner);
  const b = inner.bytes();
  field(w, n, 2);
  w.uvarint(b.length);
  w.raw(b);
}

/** Writes field `n` as a UTF-8 string. */
export function strField(w: ByteWriter, n: number, s: string): void {
  bytesField(w, n, (x) => x.raw(Buffer.from(s)));
}

/** A `logproto.PushRequest` with one stream of one entry (not snappy-compressed). */
export function lokiPushRequest(labels: string, ns: bigint, line: string): Uint8Array {
  const w = new ByteWriter();
  bytesField(w, 1, (s) => {
    strField(s, 1, labels);
    bytesField(s, 2, (e) => {
      bytesField(e, 1, (t) => {
        field(t, 1, 0);
        t.uvarint(Number(ns / 1_000_000_000n));
        field(t, 2, 0);
        t.uvarint(Number(ns % 1_000_000_000n));
      });
      strField(e, 2, line);
    });
  });
  return w.bytes();
}
