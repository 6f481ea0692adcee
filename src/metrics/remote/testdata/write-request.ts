// Builds `prometheus.WriteRequest` bytes (uncompressed) for tests with a tiny protobuf writer,
// including what real senders rarely send (unknown fields, groups, negative timestamps), so the
// decoder and the receiver are tested against exact encodings rather than our own decoder's view.

/** Appends protobuf fields; `finish()` returns the bytes. */
export class ProtoWriter {
  readonly #bytes: number[] = [];

  /** An unsigned varint, or a negative int64 as its 10-byte two's complement. */
  varint(v: number | bigint): this {
    let u = BigInt.asUintN(64, BigInt(v));
    while (u >= 0x80n) {
      this.#bytes.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.#bytes.push(Number(u));
    return this;
  }

  key(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  raw(bytes: Iterable<number>): this {
    this.#bytes.push(...bytes);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    return this.key(field, 2).varint(data.length).raw(data);
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /**
   * A float64; a bigint gives the raw bits. Pass NaN payloads (the staleness marker) as bits:
   * V8 sets the quiet bit of a signalling NaN stored in a plain number array.
   */
  double(field: number, v: number | bigint): this {
    const b = new Uint8Array(8);
    const view = new DataView(b.buffer);
    if (typeof v === 'bigint') view.setBigUint64(0, v, true);
    else view.setFloat64(0, v, true);
    return this.key(field, 1).raw(b);
  }

  int64(field: number, v: number | bigint): this {
    return this.key(field, 0).varint(v);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

export interface SeriesSpec {
  /** In the order to send, which need not be sorted. */
  labels: [string, string][];
  /** `[timestamp ms, value]` pairs; a bigint value gives the raw float64 bits. */
  samples?: [number, number | bigint][];
  exemplars?: number;
  histograms?: number;
}

/** A MetricMetadata entry; `type` is the enum's wire value (COUNTER = 1, GAUGE = 2, …). */
export interface MetadataSpec {
  type: number;
  family: string;
  help: string;
  unit?: string;
}

/**
 * A WriteRequest with the given series, then the metadata entries, or that many COUNTER
 * entries `family_<i>` when `metadata` is a number.
 */
export function encodeWriteRequest(
  series: SeriesSpec[],
  metadata: number | MetadataSpec[] = 0,
): Uint8Array {
  const w = new ProtoWriter();
  for (const s of series) {
    w.message(1, (ts) => {
      for (const [name, value] of s.labels) {
        ts.message(1, (l) => l.string(1, name).string(2, value));
      }
      for (const [t, v] of s.samples ?? []) ts.message(2, (m) => m.double(1, v).int64(2, t));
      for (let i = 0; i < (s.exemplars ?? 0); i++) {
        ts.message(3, (e) =>
          e.message(1, (l) => l.string(1, 'trace_id').string(2, `t${i}`)).double(2, i).int64(3, i),
        );
      }
      // A native histogram: count_int = 1, schema = 3 (zig-zag), timestamp = 15.
      for (let i = 0; i < (s.histograms ?? 0); i++) {
        ts.message(4, (h) => h.int64(1, 1).int64(4, 6).int64(15, i));
      }
    });
  }
  const entries =
    typeof metadata === 'number'
      ? Array.from({ length: metadata }, (_, i) => ({
          type: 1,
          family: `family_${i}`,
          help: 'Help.',
          unit: '',
        }))
      : metadata;
  for (const e of entries) {
    // type = 1, metric_family_name = 2, help = 4, unit = 5; proto3 leaves zero values out.
    w.message(3, (m) => {
      if (e.type !== 0) m.int64(1, e.type);
      if (e.family !== '') m.string(2, e.family);
      if (e.help !== '') m.string(4, e.help);
      if ((e.unit ?? '') !== '') m.string(5, e.unit!);
    });
  }
  return w.finish();
}
