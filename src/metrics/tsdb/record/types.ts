/**
 * @module
 * The kinds of WAL record and the error their decoders raise. A record is an opaque byte string
 * to the WAL; its first byte names its kind, with the numbers Prometheus assigns (its
 * `tsdb/record` package), so a WAL written by either can be read by the other. Kinds we do not
 * decode (exemplars, metadata, histograms, and whatever Prometheus adds later) come back as
 * {@link RecordType.Unknown}, and replay skips them.
 */

/** Record kinds by their first byte. */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  /** Any byte we do not decode, as Prometheus' `record.Unknown`. */
  Unknown: 255,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const NAMES: Readonly<Record<number, string>> = { 1: 'series', 2: 'samples', 3: 'tombstones' };

/**
 * The kind of an encoded record (its first byte).
 *
 * @example
 * if (recordType(rec) === RecordType.Samples) decodeSamples(rec, batch);
 */
export function recordType(rec: Uint8Array): RecordType {
  const t = rec.length > 0 ? rec[0]! : RecordType.Unknown;
  return t === RecordType.Series || t === RecordType.Samples || t === RecordType.Tombstones
    ? t
    : RecordType.Unknown;
}

/** Thrown by a record decoder; `offset` is the byte within the record where decoding failed. */
export class RecordDecodeError extends Error {
  constructor(
    readonly kind: RecordType,
    readonly offset: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `cannot decode ${NAMES[kind] ?? 'unknown'} record: ${reason} at offset ${offset}`,
      options,
    );
    this.name = 'RecordDecodeError';
  }
}

/**
 * Checks the leading type byte; every decoder starts with it.
 *
 * @throws {RecordDecodeError} at offset 0 when `rec` is empty or of another kind.
 * @example
 * expectType(rec, RecordType.Samples);
 */
export function expectType(rec: Uint8Array, kind: RecordType): void {
  if (rec.length === 0) throw new RecordDecodeError(kind, 0, 'empty record');
  if (rec[0] !== kind) {
    throw new RecordDecodeError(kind, 0, `record type byte is ${rec[0]}, want ${kind}`);
  }
}
