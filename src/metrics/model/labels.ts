/**
 * @module
 * A label set: name/value pairs sorted by name, names unique, no empty values (an empty value
 * means the label is absent, as in Prometheus). The whole set is held as ONE string — each name and
 * value prefixed by its length — like Prometheus' `stringlabels` build: one allocation per series,
 * and the string doubles as the exact key of the head's series map, so equal sets are found
 * without a separate hash and collision check (the Map hashes and compares the string itself).
 */

import { compareUtf8, compareUtf8Range } from '../../lib/strings/utf8-order.js';

// A length below 0x8000 takes one char; longer strings take two (high bit set on the first).
function putLength(n: number): string {
  return n < 0x8000 ? String.fromCharCode(n) : String.fromCharCode(0x8000 | (n >>> 15), n & 0x7fff);
}

function readLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 0x8000 ? c : ((c & 0x7fff) << 15) | s.charCodeAt(i + 1);
}

function lengthSize(n: number): number {
  return n < 0x8000 ? 1 : 2;
}

export class Labels {
  /** The canonical encoding; equal label sets have equal keys. */
  readonly key: string;

  private constructor(key: string) {
    this.key = key;
  }

  static readonly EMPTY = new Labels('');

  /**
   * Builds a set from pairs in any order. Pairs with empty values are dropped; a repeated name
   * throws.
   *
   * @example
   * Labels.from([['job', 'node'], ['__name__', 'up']]).toString(); // '{__name__="up", job="node"}'
   */
  static from(pairs: Iterable<readonly [string, string]>): Labels {
    const list = [...pairs].filter(([, v]) => v !== '');
    list.sort((a, b) => compareUtf8(a[0], b[0]));
    for (let i = 1; i < list.length; i++) {
      if (list[i]![0] === list[i - 1]![0]) {
        throw new Error(
          `cannot build label set: duplicate label name ${JSON.stringify(list[i]![0])}`,
        );
      }
    }
    return Labels.fromSorted(list);
  }

  /** Builds from an object: `Labels.fromRecord({ __name__: 'up', job: 'node' })`. */
  static fromRecord(record: Readonly<Record<string, string>>): Labels {
    return Labels.from(Object.entries(record));
  }

  /** Builds from pairs already sorted by name with unique names and non-empty values. */
  static fromSorted(pairs: Iterable<readonly [string, string]>): Labels {
    // join() yields one flat string; `+=` would leave a rope of cons cells per piece, several
    // times the memory of the characters for a set the head keeps for hours.
    const parts: string[] = [];
    for (const [n, v] of pairs) parts.push(putLength(n.length), n, putLength(v.length), v);
    const key = parts.join('');
    return key === '' ? Labels.EMPTY : new Labels(key);
  }

  /** Wraps a key produced by {@link Labels.key} (e.g. read back from a Map). */
  static fromKey(key: string): Labels {
    return key === '' ? Labels.EMPTY : new Labels(key);
  }

  get size(): number {
    let n = 0;
    this.forEach(() => {
      n++;
    });
    return n;
  }

  isEmpty(): boolean {
    return this.key === '';
  }

  /** Calls `fn` for each pair in name order; stops early when it returns false. */
  forEach(fn: (name: string, value: string) => boolean | void): void {
    const s = this.key;
    let i = 0;
    while (i < s.length) {
      const nl = readLength(s, i);
      i += lengthSize(nl);
      const name = s.slice(i, i + nl);
      i += nl;
      const vl = readLength(s, i);
      i += lengthSize(vl);
      const value = s.slice(i, i + vl);
      i += vl;
      if (fn(name, value) === false) return;
    }
  }

  /** The value of `name`, or '' when absent. */
  get(name: string): string {
    let out = '';
    this.forEach((n, v) => {
      if (n === name) {
        out = v;
        return false;
      }
      return n < name;
    });
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== '';
  }

  /** The `__name__` label: the metric name. */
  get metricName(): string {
    return this.get('__name__');
  }

  pairs(): [string, string][] {
    const out: [string, string][] = [];
    this.forEach((n, v) => {
      out.push([n, v]);
    });
    return out;
  }

  names(): string[] {
    const out: string[] = [];
    this.forEach((n) => {
      out.push(n);
    });
    return out;
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.pairs());
  }

  equals(other: Labels): boolean {
    return this.key === other.key;
  }

  /**
   * Orders label sets as Prometheus does: pairwise by name then value in UTF-8 byte order (as Go
   * compares strings), a set that is a prefix of the other first. Walks both keys in place — sorting a select's result calls this O(n log n)
   * times, so it must not allocate.
   */
  compare(other: Labels): number {
    const a = this.key;
    const b = other.key;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      // Name, then value: the same length-prefixed shape twice.
      for (let part = 0; part < 2; part++) {
        const al = readLength(a, i);
        const bl = readLength(b, j);
        i += lengthSize(al);
        j += lengthSize(bl);
        const c = compareUtf8Range(a, i, al, b, j, bl);
        if (c !== 0) return c;
        i += al;
        j += bl;
      }
    }
    return a.length - i - (b.length - j);
  }

  /** A copy with `name` set to `value` (removed when `value` is ''). */
  with(name: string, value: string): Labels {
    const pairs = this.pairs().filter(([n]) => n !== name);
    if (value !== '') pairs.push([name, value]);
    return Labels.from(pairs);
  }

  /** A copy without the given names. */
  without(...names: string[]): Labels {
    return Labels.fromSorted(this.pairs().filter(([n]) => !names.includes(n)));
  }

  /** `{__name__="up", job="node"}` with Go-style quoting, as Prometheus prints label sets. */
  toString(): string {
    const parts: string[] = [];
    this.forEach((n, v) => {
      parts.push(`${n}=${JSON.stringify(v)}`);
    });
    return `{${parts.join(', ')}}`;
  }
}
