/**
 * @module
 * OpenMetrics' rules for metric families, which Prometheus' own parser leaves unchecked: a
 * family's samples use exactly its type's suffixes (`_total` for counters, `_bucket` for
 * histograms, …), families are not interleaved and never come back, no sample name can belong to
 * two families (a gauge `foo_total` beside a counter `foo`), each metadata line appears at most
 * once per family and before its samples, and info and stateset families have no unit.
 *
 * Names are compared where they lie in the body, byte by byte: a sample or metadata line of the
 * current family makes no string. Node exporters expose hundreds of small families, so starting
 * a family is kept cheap too: one name string, and map lookups instead of suffix concatenation.
 */

import { Buffer } from 'node:buffer';
import type { MetricType } from './interface.js';
import { unescape } from './lexing.js';
import type { Source } from './source.js';

/** The sample-name suffixes of each type ('' is the bare family name). */
const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ['_total', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  info: ['_info'],
  gauge: [''],
  stateset: [''],
  unknown: [''],
};

/** Every suffix holds exactly one `_`, its first character, so a name's suffix starts at its last. */
const ALL_SUFFIXES = new Set(
  Object.values(SUFFIXES)
    .flat()
    .filter((s) => s !== ''),
);
const LONGEST_SUFFIX = Math.max(...[...ALL_SUFFIXES].map((s) => s.length));
const SUFFIX_BYTES = {} as Record<MetricType, readonly Uint8Array[]>;
for (const type of Object.keys(SUFFIXES) as MetricType[]) {
  SUFFIX_BYTES[type] = SUFFIXES[type].map((suffix) => Buffer.from(suffix, 'latin1'));
}

/** Metadata kinds as bits, to tell a repeated line from a first one. */
const META_BIT = { type: 1, help: 2, unit: 4 } as const;

function listNames(name: string, type: MetricType): string {
  return SUFFIXES[type].map((s) => JSON.stringify(name + s)).join(' or ');
}

/**
 * Follows the families of one OpenMetrics body. Names are given as byte ranges of the body (the
 * inside of the quotes for a quoted name). Each method returns null when the line fits, or the
 * reason it does not (the caller adds the position).
 *
 * @example
 * const src = new Source('# TYPE c counter\nc_total 1\n');
 * const families = new FamilyTracker(src);
 * families.metadata('type', 'counter', 7, 8, false); // null
 * families.sample(17, 24, false); // null: c_total belongs to counter c
 */
export class FamilyTracker {
  readonly #src: Source;
  /** Every family started so far, with its type: families must not come back. */
  readonly #seen = new Map<string, MetricType>();
  /**
   * For families whose bare name is a sample name and ends in a suffix: the suffixes by the name
   * before them (gauge `a_total` files `_total` under `a`), to find clashes without building names.
   */
  readonly #suffixedBare = new Map<string, string[]>();
  #name: string | null = null;
  /** Where the current family's name lies: the body, or its own buffer for a quoted name. */
  #nameBytes: Uint8Array = new Uint8Array(0);
  #nameAt = 0;
  #nameLength = 0;
  #type: MetricType = 'unknown';
  #unit = '';
  #meta = 0;
  #samples = false;
  /**
   * A family's names are checked against the others once its type is settled: at its TYPE line,
   * or else at its first sample or its end (a HELP line may come before the TYPE line).
   */
  #unchecked = false;

  constructor(src: Source) {
    this.#src = src;
  }

  /**
   * A `# TYPE`, `# HELP` or `# UNIT` line naming the family at bytes `[start, end)`; `value` is the
   * type or the unit.
   */
  metadata(
    kind: 'type' | 'help' | 'unit',
    value: string,
    start: number,
    end: number,
    quoted: boolean,
  ): string | null {
    if (!this.#isCurrent(start, end, quoted)) {
      const err = this.#start(start, end, quoted);
      if (err !== null) return err;
    } else if (this.#samples) {
      return `# ${kind.toUpperCase()} for metric family ${JSON.stringify(this.#name)} after its samples`;
    } else if ((this.#meta & META_BIT[kind]) !== 0) {
      return `second # ${kind.toUpperCase()} line for metric family ${JSON.stringify(this.#name)}`;
    }
    this.#meta |= META_BIT[kind];
    if (kind === 'type') {
      this.#type = value as MetricType;
      this.#seen.set(this.#name!, this.#type);
      const err = this.#settle(null);
      if (err !== null) return err;
    } else if (kind === 'unit') {
      this.#unit = value;
    }
    if (this.#unit !== '' && (this.#type === 'info' || this.#type === 'stateset')) {
      return `${this.#type} metric family ${JSON.stringify(this.#name)} cannot have a unit`;
    }
    return null;
  }

  /** A sample whose metric name is the bytes `[start, end)`. */
  sample(start: number, end: number, quoted: boolean): string | null {
    if (this.#name !== null && this.#fits(start, end, quoted)) {
      this.#samples = true;
      return this.#unchecked ? this.#settle(null) : null;
    }
    const sampleName = this.#decode(start, end, quoted);
    if (sampleName === this.#name) {
      return `sample ${JSON.stringify(sampleName)} does not fit ${this.#type} metric family ${JSON.stringify(sampleName)}: expected ${listNames(sampleName, this.#type)}`;
    }
    const err = this.#start(start, end, quoted);
    this.#samples = true;
    return err ?? this.#settle(sampleName);
  }

  #decode(start: number, end: number, quoted: boolean): string {
    const raw = this.#src.slice(start, end);
    return quoted ? unescape(raw, true) : raw;
  }

  /** Whether the name at `[start, end)` is the current family's name. */
  #isCurrent(start: number, end: number, quoted: boolean): boolean {
    if (this.#name === null) return false;
    if (quoted) return this.#decode(start, end, true) === this.#name;
    return end - start === this.#nameLength && this.#matches(start, end - start);
  }

  /** Whether the `length` body bytes at `start` are the current name's. */
  #matches(start: number, length: number): boolean {
    const b = this.#src.bytes;
    const name = this.#nameBytes;
    const at = this.#nameAt;
    let i = 0;
    while (i < length && b[start + i] === name[at + i]) i++;
    return i === length;
  }

  /** Whether the sample name at `[start, end)` is the current family's name plus a suffix. */
  #fits(start: number, end: number, quoted: boolean): boolean {
    if (quoted) {
      const name = this.#decode(start, end, true);
      const family = this.#name!;
      return name.startsWith(family) && SUFFIXES[this.#type].includes(name.slice(family.length));
    }
    const n = this.#nameLength;
    const rest = end - start - n;
    if (rest < 0 || rest > LONGEST_SUFFIX || !this.#matches(start, n)) return false;
    const b = this.#src.bytes;
    const suffixes = SUFFIX_BYTES[this.#type];
    for (let k = 0; k < suffixes.length; k++) {
      const suffix = suffixes[k]!;
      if (suffix.length !== rest) continue;
      let j = 0;
      while (j < rest && b[start + n + j] === suffix[j]) j++;
      if (j === rest) return true;
    }
    return false;
  }

  /** Starts the family named at `[start, end)`, untyped until a TYPE line says otherwise. */
  #start(start: number, end: number, quoted: boolean): string | null {
    if (this.#unchecked) {
      const err = this.#settle(null);
      if (err !== null) return err;
    }
    const name = this.#decode(start, end, quoted);
    if (this.#seen.has(name)) {
      return `metric family ${JSON.stringify(name)} appears a second time: families must not be interleaved`;
    }
    this.#name = name;
    if (quoted) {
      this.#nameBytes = Buffer.from(name, 'utf8');
      this.#nameAt = 0;
      this.#nameLength = this.#nameBytes.length;
    } else {
      this.#nameBytes = this.#src.bytes;
      this.#nameAt = start;
      this.#nameLength = end - start;
    }
    this.#type = 'unknown';
    this.#unit = '';
    this.#meta = 0;
    this.#samples = false;
    this.#unchecked = true;
    this.#seen.set(name, 'unknown');
    return null;
  }

  /**
   * Checks that no sample name of the current family is one another family may use, and files
   * the family for the checks of later ones. `sample` names the sample that started the family,
   * for a message about interleaving.
   */
  #settle(sample: string | null): string | null {
    this.#unchecked = false;
    const name = this.#name!;
    const type = this.#type;
    const suffixes = SUFFIXES[type];
    // Suffixes never end in one another, so a clash is always one family's bare name against the
    // other's name plus a suffix.
    if (suffixes.includes('')) {
      const cut = name.lastIndexOf('_');
      const suffix = cut > 0 ? name.slice(cut) : '';
      if (ALL_SUFFIXES.has(suffix)) {
        const base = name.slice(0, cut);
        const other = this.#seen.get(base);
        if (other !== undefined && SUFFIXES[other].includes(suffix)) {
          return sample !== null
            ? `sample ${JSON.stringify(sample)} belongs to ${other} metric family ${JSON.stringify(base)}, which appeared earlier: families must not be interleaved`
            : `metric family ${JSON.stringify(name)} clashes with the samples of ${other} metric family ${JSON.stringify(base)}`;
        }
        const filed = this.#suffixedBare.get(base);
        if (filed === undefined) this.#suffixedBare.set(base, [suffix]);
        else filed.push(suffix);
      }
    }
    const bare = this.#suffixedBare.get(name);
    if (bare !== undefined) {
      for (const suffix of bare) {
        if (!suffixes.includes(suffix)) continue;
        const other = this.#seen.get(name + suffix)!;
        return `${type} metric family ${JSON.stringify(name)} clashes with ${other} metric family ${JSON.stringify(name + suffix)}`;
      }
    }
    return null;
  }
}
