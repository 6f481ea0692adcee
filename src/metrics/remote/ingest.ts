/**
 * @module
 * Stores a decoded remote write request through the storage boundary, as one transaction.
 * Samples the storage refuses (out of order, duplicate timestamp, out of bounds), samples too
 * far in the future and series with invalid labels are counted by reason and skipped; the rest
 * is committed. The spec allows this partial write ("Receivers MAY ingest valid samples within
 * a write request that otherwise contains invalid samples") and Prometheus' remote write 2.0
 * handler does it; its 1.0 handler instead rolls the whole request back at the first refused
 * sample, and since a sender never retries the 400 that follows, the good samples are lost too.
 *
 * Metadata goes to a {@link MetadataStore}, apart from the samples: it describes metric
 * families, not the samples of this request, so refused samples do not affect it.
 */

import {
  DuplicateSampleError,
  InvalidLabelsError,
  OutOfBoundsError,
  OutOfOrderError,
} from '../storage/errors.js';
import type { Appendable } from '../storage/interface.js';
import type { MetadataStore } from '../storage/metadata.js';
import { FutureSampleError } from './errors.js';
import type { WriteRequest } from './write-request.js';

/** Why a sample was not stored; the values are the `reason` label of the rejection counter. */
export const REJECT_REASONS = [
  'out_of_order',
  'duplicate',
  'out_of_bounds',
  'too_far_in_future',
  'invalid_labels',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What became of a request's float samples. */
export interface IngestResult {
  /** Float samples in the request. */
  samples: number;
  /** Samples the storage accepted and the commit made durable. */
  appended: number;
  /** Samples not stored, by reason; every reason is present. */
  rejected: Record<RejectReason, number>;
  /** The first refusal, to report to the sender; null when nothing was refused. */
  first: { reason: RejectReason; error: Error } | null;
}

export interface IngestOptions {
  /** The current time, ms since the epoch (default `Date.now()`). */
  now?: number;
  /** How far past `now` a sample may lie, ms (default {@link DEFAULT_MAX_AHEAD}). */
  maxAhead?: number;
}

/** Prometheus' receiver refuses samples more than 10 minutes ahead of its clock; so do we. */
export const DEFAULT_MAX_AHEAD = 10 * 60_000;

/**
 * Appends every sample of `req` through one appender of `appendable` and commits it. Refused
 * samples are counted in the result, never thrown; any other error rolls the transaction back
 * and rejects the promise, so the request can be retried as a whole.
 *
 * @example
 * const result = await ingestWriteRequest(decodeWriteRequest(body), tsdb);
 * if (result.first !== null) reply.code(400).send(result.first.error.message);
 */
export async function ingestWriteRequest(
  req: WriteRequest,
  appendable: Appendable,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const maxTime = (options.now ?? Date.now()) + (options.maxAhead ?? DEFAULT_MAX_AHEAD);
  const rejected = Object.fromEntries(
    REJECT_REASONS.map((r) => [r, 0]),
  ) as IngestResult['rejected'];
  const result: IngestResult = {
    samples: req.timestamps.length,
    appended: 0,
    rejected,
    first: null,
  };
  const reject = (reason: RejectReason, error: Error, n: number) => {
    rejected[reason] += n;
    result.first ??= { reason, error };
  };
  const { timestamps, values } = req;
  const app = appendable.appender();
  try {
    for (const s of req.series) {
      if (s.invalid !== null) {
        // A series that carried only histograms or exemplars has nothing stored to refuse.
        if (s.end > s.start) reject('invalid_labels', s.invalid, s.end - s.start);
        continue;
      }
      let ref = 0;
      for (let i = s.start; i < s.end; i++) {
        const t = timestamps[i]!;
        if (t > maxTime) {
          reject('too_far_in_future', new FutureSampleError(s.labels, t, maxTime), 1);
          continue;
        }
        try {
          ref = app.append(ref, s.labels, t, values[i]!);
          result.appended++;
        } catch (err) {
          const reason = reasonOf(err);
          if (reason === null) throw err;
          reject(reason, err as Error, 1);
        }
      }
    }
  } catch (err) {
    app.rollback();
    throw err;
  }
  await app.commit();
  return result;
}

function reasonOf(err: unknown): RejectReason | null {
  if (err instanceof OutOfOrderError) return 'out_of_order';
  if (err instanceof DuplicateSampleError) return 'duplicate';
  if (err instanceof OutOfBoundsError) return 'out_of_bounds';
  if (err instanceof InvalidLabelsError) return 'invalid_labels';
  return null;
}

/**
 * Records every metadata entry of `req` in `store`, seen at `now` (default `Date.now()`).
 *
 * @returns how many entries the store refused (an empty family name, or the store is full).
 * @example
 * const refused = storeMetadata(decodeWriteRequest(body), metadataStore);
 */
export function storeMetadata(req: WriteRequest, store: MetadataStore, now = Date.now()): number {
  let refused = 0;
  for (const m of req.metadata) if (!store.update(m.family, m, now)) refused++;
  return refused;
}
