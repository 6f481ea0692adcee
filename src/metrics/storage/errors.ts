/**
 * @module
 * The errors the storage boundary raises for a rejected sample. Callers branch on the class
 * (a scraper counts out-of-order samples separately from out-of-bounds ones) and read the data
 * each carries.
 */

import type { Labels } from '../model/labels.js';

/** A sample older than the newest one of its series. */
export class OutOfOrderError extends Error {
  constructor(
    readonly labels: Labels,
    readonly t: number,
    readonly lastT: number,
  ) {
    super(
      `cannot append sample: out of order: series ${labels.toString()} at ${t}, newest sample at ${lastT}`,
    );
    this.name = 'OutOfOrderError';
  }
}

/** A sample at the timestamp of an existing sample, with a different value. */
export class DuplicateSampleError extends Error {
  constructor(
    readonly labels: Labels,
    readonly t: number,
    readonly existing: number,
    readonly value: number,
  ) {
    super(
      `cannot append sample: duplicate sample for timestamp ${t}: series ${labels.toString()} has ${existing}, got ${value}`,
    );
    this.name = 'DuplicateSampleError';
  }
}

/** A sample older than what the storage still accepts (already persisted into a block). */
export class OutOfBoundsError extends Error {
  constructor(
    readonly labels: Labels,
    readonly t: number,
    readonly minValidTime: number,
  ) {
    super(
      `cannot append sample: out of bounds: series ${labels.toString()} at ${t}, oldest accepted ${minValidTime}`,
    );
    this.name = 'OutOfBoundsError';
  }
}

/** A label set the storage refuses (empty, or with an empty/duplicate name). */
export class InvalidLabelsError extends Error {
  constructor(
    readonly labels: Labels,
    reason: string,
  ) {
    super(`cannot append sample: invalid labels ${labels.toString()}: ${reason}`);
    this.name = 'InvalidLabelsError';
  }
}
