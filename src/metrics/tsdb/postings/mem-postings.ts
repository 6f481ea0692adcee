/**
 * @module
 * The head's inverted index: label name → value → postings, plus the list of all series.
 * Refs are added in increasing order as series are created, so every list stays sorted by
 * appending. Removal (head truncation) rebuilds the affected lists.
 */

import type { Labels } from '../../model/labels.js';
import { PostingsBuilder, EMPTY_POSTINGS, type Postings } from './postings-list.js';
import type { PostingsIndex } from './select.js';

export class MemPostings implements PostingsIndex {
  readonly #byName = new Map<string, Map<string, PostingsBuilder>>();
  readonly #all = new PostingsBuilder();

  /** Indexes a new series; `ref` must exceed every ref added before. */
  add(ref: number, labels: Labels): void {
    this.#all.add(ref);
    labels.forEach((name, value) => {
      let values = this.#byName.get(name);
      if (values === undefined) this.#byName.set(name, (values = new Map()));
      let list = values.get(value);
      if (list === undefined) values.set(value, (list = new PostingsBuilder()));
      list.add(ref);
    });
  }

  /** Removes the given series (whose labels are given by `labelsOf`). */
  delete(refs: ReadonlySet<number>, labelsOf: (ref: number) => Labels): void {
    const touched = new Map<string, Set<string>>();
    for (const ref of refs) {
      labelsOf(ref).forEach((name, value) => {
        let values = touched.get(name);
        if (values === undefined) touched.set(name, (values = new Set()));
        values.add(value);
      });
    }
    const drop = (r: number) => refs.has(r);
    this.#all.removeIf(drop);
    for (const [name, values] of touched) {
      const lists = this.#byName.get(name)!;
      for (const value of values) {
        if (lists.get(value)!.removeIf(drop) === 0) lists.delete(value);
      }
      if (lists.size === 0) this.#byName.delete(name);
    }
  }

  postings(name: string, value: string): Postings {
    return this.#byName.get(name)?.get(value)?.view() ?? EMPTY_POSTINGS;
  }

  allPostings(): Postings {
    return this.#all.view();
  }

  labelValues(name: string): string[] {
    const values = this.#byName.get(name);
    return values === undefined ? [] : [...values.keys()];
  }

  labelNames(): string[] {
    return [...this.#byName.keys()];
  }

  /** Number of series with each value of `name`, for cardinality statistics. */
  valueCounts(name: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [v, list] of this.#byName.get(name) ?? []) out.set(v, list.length);
    return out;
  }
}
