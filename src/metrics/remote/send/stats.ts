/**
 * @module
 * A remote write queue's counters, kept as plain numbers on the send path and read by the
 * `/metrics` collector (metrics.ts) at scrape time.
 */

export interface QueueStats {
  /** Samples read from the WAL. */
  samplesIn: number;
  samplesSent: number;
  /** Samples the remote rejected for good (a 4xx other than 429): dropped. */
  samplesFailed: number;
  /** Samples in requests that failed recoverably and were sent again. */
  samplesRetried: number;
  /** Samples dropped by write_relabel_configs or sample_age_limit. */
  samplesDropped: number;
  /** Compressed request bytes sent successfully. */
  bytesSent: number;
  requests: number;
  /** Seconds spent in requests, all shards together. */
  sendSeconds: number;
  /** Newest sample timestamp read and sent, ms; -Infinity before the first. */
  highestIn: number;
  highestSent: number;
  /** When a request last failed, ms; 0 when none has. */
  lastFailure: number;
  shards: number;
  desiredShards: number;
  pending: number;
}

export function newQueueStats(): QueueStats {
  return {
    samplesIn: 0,
    samplesSent: 0,
    samplesFailed: 0,
    samplesRetried: 0,
    samplesDropped: 0,
    bytesSent: 0,
    requests: 0,
    sendSeconds: 0,
    highestIn: -Infinity,
    highestSent: -Infinity,
    lastFailure: 0,
    shards: 0,
    desiredShards: 0,
    pending: 0,
  };
}
