/**
 * @module
 * Errors of the remote-write receive path that the storage boundary does not define: a series
 * whose labels cannot be stored, and a sample too far in the future. Rejected samples of the storage's own kinds keep the storage's
 * classes (`OutOfOrderError`, …).
 */

import type { Labels } from '../model/labels.js';

/** A series whose labels cannot be stored; its samples are rejected, the request goes on. */
export class InvalidSeriesError extends Error {
  constructor(
    /** The labels as sent, printed like `Labels.toString()`. */
    readonly labels: string,
    readonly reason: string,
  ) {
    super(`cannot append series ${labels}: ${reason}`);
    this.name = 'InvalidSeriesError';
  }
}

/**
 * A sample newer than the receiver accepts. A sender with a wrong clock would otherwise make
 * its series' later samples out of order and stretch the head's time range into the future.
 */
export class FutureSampleError extends Error {
  constructor(
    readonly labels: Labels,
    readonly t: number,
    readonly maxTime: number,
  ) {
    super(
      `cannot append sample: too far in the future: series ${labels.toString()} at ${t}, newest accepted ${maxTime}`,
    );
    this.name = 'FutureSampleError';
  }
}
