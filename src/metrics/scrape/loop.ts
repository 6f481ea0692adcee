/**
 * @module
 * The scrape loop of one target, as Prometheus runs it: a scrape every interval at an offset
 * derived from the target's labels (so a job's targets spread over the interval instead of all
 * firing together), the body parsed and appended in one transaction, staleness markers for
 * series that disappeared since the previous scrape, and the report series (`up`,
 * `scrape_duration_seconds`, `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`,
 * `scrape_series_added`).
 *
 * Label work is cached by the series' raw text: a series seen in the previous scrape costs a map
 * lookup, not a parse of its labels, the merge with the target's labels and metric relabeling.
 * A series where the previous scrape had it (same bytes at the same place in the order) costs
 * not even that: a byte comparison with the previous body ({@link SeriesOrder}).
 */

import { BodyBuffer, type HttpClient } from '../../lib/http-client/client.js';
import type { Logger } from '../../lib/log/logger.js';
import { Labels } from '../model/labels.js';
import type { RelabelConfig } from '../model/relabel/config.js';
import { relabel } from '../model/relabel/relabel.js';
import { createParser, formatOf, type Format, type MetricType } from '../model/textparse/parser.js';
import type { Appendable, Appender, SeriesRef } from '../storage/interface.js';
import type { MetadataStore } from '../storage/metadata.js';
import type { ScrapeProtocol } from '../../config/scrape.js';
import { acceptHeader, effectiveContentType, scrape, ScrapeError } from './scraper.js';
import { SeriesOrder } from './series-order.js';

/** Prometheus' staleness marker, a NaN with these exact bits. */
const STALE = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer);

/** The job settings a loop follows. */
export interface LoopJob {
  honor_labels: boolean;
  honor_timestamps: boolean;
  track_timestamps_staleness: boolean;
  scrape_protocols: readonly ScrapeProtocol[];
  fallback_scrape_protocol?: ScrapeProtocol;
  enable_compression: boolean;
  metric_relabel_configs: readonly RelabelConfig[];
  sample_limit: number;
  label_limit: number;
  label_name_length_limit: number;
  label_value_length_limit: number;
  body_size_limit: number;
}

export interface LoopOptions {
  url: string;
  /** The target's labels, attached to every sample. */
  labels: Labels;
  interval: number;
  timeout: number;
  job: LoopJob;
  client: HttpClient;
  appendable: Appendable;
  metadata?: MetadataStore;
  log: Logger;
}

export type Health = 'up' | 'down' | 'unknown';

/** Metadata of one family as the target exposes it. */
export interface TargetMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

interface CacheEntry {
  ref: SeriesRef;
  /** Final labels, or null when metric relabeling dropped the series. */
  labels: Labels | null;
  /** Scrape number in which the series was last seen. */
  seen: number;
  /** Its position in the series order of scrape `seen`. */
  pos: number;
  /** Scrape number in which it was last appended subject to staleness. */
  tracked: number;
}

/** The series each scrape reports about itself, as Prometheus names them. */
const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

/** A scrape's samples, appended but not committed, and its counts. */
interface Appended {
  app: Appender;
  scraped: number;
  postRelabel: number;
  added: number;
}

/** An error that fails the whole scrape, with Prometheus' wording. */
class LimitError extends Error {}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class ScrapeLoop {
  readonly options: LoopOptions;
  health: Health = 'unknown';
  lastError = '';
  /** When the last scrape started, ms; 0 before the first. */
  lastScrape = 0;
  lastScrapeDuration = 0;
  /** Families the target exposed in its last successful scrape. */
  readonly metadata = new Map<string, TargetMetadata>();
  readonly #cache = new Map<string, CacheEntry>();
  readonly #order = new SeriesOrder<CacheEntry>();
  /** The response of the last scrape; its memory is reused by the next. */
  readonly #body = new BodyBuffer();
  /** Series of the previous successful scrape that were appended subject to staleness. */
  #previous: CacheEntry[] = [];
  #previousCount = 0;
  /**
   * The array the current scrape fills, swapped with `#previous` when it succeeds. Both are
   * reused with counts of their own: emptying an array frees its backing store, and one grown
   * anew each scrape and kept for two was garbage that only a full collection freed.
   */
  #current: CacheEntry[] = [];
  /** The format of the previous scrape: guesses from another format's body are not given. */
  #format: Format | null = null;
  #scrapes = 0;
  /** The report series, in the order of `REPORT_NAMES`. */
  readonly #reportSeries: { labels: Labels; ref: SeriesRef }[];
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  readonly #accept: string;

  constructor(options: LoopOptions) {
    this.options = options;
    this.#accept = acceptHeader(options.job.scrape_protocols);
    this.#reportSeries = REPORT_NAMES.map((name) => ({
      labels: options.labels.with('__name__', name),
      ref: 0,
    }));
  }

  /** Where in each interval this target is scraped, ms after the interval's start. */
  get offset(): number {
    return (
      hashString(`${this.options.labels.key}\u0000${this.options.url}`) % this.options.interval
    );
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Stops the loop. With `stale`, the series of the last scrape (and the report series) get
   * staleness markers now: the target is gone. A loop replaced by a reload does not mark them.
   */
  async stop(stale: boolean): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running;
    if (stale && this.#scrapes > 0) {
      const app = this.options.appendable.appender();
      this.#markStale(app, this.#previous, this.#previousCount, Date.now());
      for (const r of this.#reportSeries) {
        this.#appendSafe(app, r.ref, r.labels, Date.now(), STALE[0]!);
      }
      await app.commit();
    }
  }

  async #run(): Promise<void> {
    const { interval } = this.options;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      const now = Date.now();
      const next = Math.floor((now - this.offset) / interval + 1) * interval + this.offset;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, next - now);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = null;
      if (signal.aborted) return;
      await this.scrapeOnce(next);
    }
  }

  /** One scrape at time `t` (ms): fetch, append, mark stale, report. Never throws. */
  async scrapeOnce(t: number): Promise<void> {
    const o = this.options;
    const started = performance.now();
    this.lastScrape = Date.now();
    let scraped = 0;
    let postRelabel = 0;
    let added = 0;
    let error: string | null = null;
    try {
      const fetched = await this.#fetchAndAppend(t);
      if (fetched === null) return;
      await fetched.app.commit();
      ({ scraped, postRelabel, added } = fetched);
    } catch (err) {
      if (this.#abort.signal.aborted) return;
      error =
        err instanceof ScrapeError || err instanceof LimitError
          ? err.message
          : String((err as Error).message ?? err);
    }
    const seconds = (performance.now() - started) / 1000;
    this.lastScrapeDuration = seconds;
    this.health = error === null ? 'up' : 'down';
    this.lastError = error ?? '';
    this.#scrapes++;
    const app = o.appendable.appender();
    if (error !== null) {
      // Prometheus marks everything of the previous scrape stale when a scrape fails.
      this.#markStale(app, this.#previous, this.#previousCount, t);
      this.#previousCount = 0;
      this.#order.reset();
    }
    this.#report(app, t, error === null ? 1 : 0, seconds, scraped, postRelabel, added);
    try {
      await app.commit();
    } catch (err) {
      o.log.error('cannot append scrape report', { target: o.url, err });
    }
  }

  /**
   * Fetches and appends, uncommitted; null when stopped meanwhile. The body is dropped before
   * anything awaits the commit: held across that wait (which grows with the WAL's queue), it was
   * promoted out of the young generation, and V8 started a full collection of the whole heap
   * for every 64 MiB of bodies promoted.
   */
  async #fetchAndAppend(t: number): Promise<Appended | null> {
    const o = this.options;
    const res = await scrape(o.client, {
      url: o.url,
      timeoutMs: o.timeout,
      bodyLimit: o.job.body_size_limit,
      accept: this.#accept,
      gzip: o.job.enable_compression,
      signal: this.#abort.signal,
      into: this.#body,
    });
    if (this.#abort.signal.aborted) return null;
    return this.#append(
      res.body,
      effectiveContentType(res.contentType, o.job.fallback_scrape_protocol),
      t,
    );
  }

  /** Parses a body and appends its samples and staleness markers, synchronously. */
  #append(body: Buffer, contentType: string, t: number): Appended {
    const o = this.options;
    const job = o.job;
    const parser = createParser(body, contentType);
    const app = o.appendable.appender();
    const values = new Float64Array(1);
    const order = this.#order;
    const format = formatOf(contentType);
    if (format !== this.#format) order.reset();
    this.#format = format;
    order.begin(parser.bytes);
    const next = () =>
      order.hasExpected()
        ? parser.next(order.previousBody, order.expectedStart(), order.expectedEnd())
        : parser.next();
    const current = this.#current;
    let count = 0;
    const scrapeNo = this.#scrapes + 1;
    /** Distinct cache entries seen in this scrape: when all are, none is old enough to forget. */
    let seenCount = 0;
    const metadata = new Map<string, TargetMetadata>();
    const meta = (name: string) => {
      let m = metadata.get(name);
      if (m === undefined) {
        m = { type: 'unknown', help: '', unit: '' };
        metadata.set(name, m);
      }
      return m;
    };
    let scraped = 0;
    let postRelabel = 0;
    let added = 0;
    try {
      for (let kind = next(); kind !== null; kind = next()) {
        if (kind === 'type') {
          const [name, type] = parser.type();
          meta(name).type = type;
          continue;
        }
        if (kind === 'help') {
          const [name, help] = parser.help();
          meta(name).help = help;
          continue;
        }
        if (kind === 'unit') {
          const [name, unit] = parser.unit();
          meta(name).unit = unit;
          continue;
        }
        if (kind !== 'series') continue;
        scraped++;
        const start = parser.seriesStart();
        const end = parser.seriesEnd();
        let entry = parser.isExpected() ? order.take() : order.match(start, end);
        if (entry === undefined) {
          const raw = parser.series();
          entry = this.#cache.get(raw);
          if (entry === undefined) {
            const labels = this.#sampleLabels(parser.labels());
            entry = { ref: 0, labels, seen: 0, pos: 0, tracked: 0 };
            this.#cache.set(raw, entry);
            if (labels !== null) added++;
          } else if (entry.seen === scrapeNo - 1) {
            order.resync(entry.pos);
          }
        }
        if (entry.seen !== scrapeNo) {
          entry.seen = scrapeNo;
          seenCount++;
        }
        entry.pos = order.push(start, end, entry);
        if (entry.labels === null) continue;
        postRelabel++;
        if (job.sample_limit > 0 && postRelabel > job.sample_limit) {
          throw new LimitError(`sample limit exceeded`);
        }
        const own = job.honor_timestamps ? parser.timestamp() : null;
        values[0] = parser.value();
        entry.ref = this.#appendSafe(app, entry.ref, entry.labels, own ?? t, values[0]);
        // A series with its own timestamps is not marked stale unless asked (Prometheus).
        if ((own === null || job.track_timestamps_staleness) && entry.tracked !== scrapeNo) {
          entry.tracked = scrapeNo;
          current[count++] = entry;
        }
      }
    } catch (err) {
      app.rollback();
      throw err;
    }
    const previous = this.#previous;
    for (let i = 0; i < this.#previousCount; i++) {
      const entry = previous[i]!;
      if (entry.tracked !== scrapeNo) this.#markEntryStale(app, entry, t);
    }
    this.#current = previous;
    this.#previous = current;
    this.#previousCount = count;
    order.commit();
    // Series not seen for two scrapes are forgotten; one scrape back is kept for staleness.
    if (this.#cache.size > seenCount) {
      for (const [raw, entry] of this.#cache) {
        if (entry.seen < scrapeNo - 1) this.#cache.delete(raw);
      }
    }
    this.metadata.clear();
    const now = Date.now();
    for (const [name, m] of metadata) {
      this.metadata.set(name, m);
      o.metadata?.update(name, m, now);
    }
    return { app, scraped, postRelabel, added };
  }

  /** Target labels merged into a sample's labels, then metric relabeling and label limits. */
  #sampleLabels(scraped: Labels): Labels | null {
    const o = this.options;
    const job = o.job;
    const pairs = new Map<string, string>();
    scraped.forEach((name, value) => void pairs.set(name, value));
    o.labels.forEach((name, value) => {
      if (job.honor_labels) {
        if (!pairs.has(name)) pairs.set(name, value);
        return;
      }
      const clash = pairs.get(name);
      if (clash !== undefined) {
        let exported = `exported_${name}`;
        while (pairs.has(exported)) exported = `exported_${exported}`;
        pairs.set(exported, clash);
      }
      pairs.set(name, value);
    });
    const merged = relabel(Labels.from(pairs), job.metric_relabel_configs);
    if (merged === null) return null;
    if (job.label_limit > 0 && merged.size > job.label_limit) {
      throw new LimitError(
        `label_limit exceeded (metric: ${merged.metricName}, number of labels: ${merged.size}, limit: ${job.label_limit})`,
      );
    }
    merged.forEach((name, value) => {
      if (job.label_name_length_limit > 0 && name.length > job.label_name_length_limit) {
        throw new LimitError(
          `label_name_length_limit exceeded (metric: ${merged.metricName}, label name: ${name}, length: ${name.length}, limit: ${job.label_name_length_limit})`,
        );
      }
      if (job.label_value_length_limit > 0 && value.length > job.label_value_length_limit) {
        throw new LimitError(
          `label_value_length_limit exceeded (metric: ${merged.metricName}, label name: ${name}, value: "${value}", length: ${value.length}, limit: ${job.label_value_length_limit})`,
        );
      }
    });
    return merged;
  }

  /** Appends, counting a rejected sample (out of order, duplicate, too old) instead of failing. */
  #appendSafe(app: Appender, ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    try {
      return app.append(ref, labels, t, v);
    } catch (err) {
      this.options.log.debug('sample rejected', {
        target: this.options.url,
        series: labels.toString(),
        err,
      });
      return ref;
    }
  }

  #markStale(app: Appender, entries: readonly CacheEntry[], count: number, t: number): void {
    for (let i = 0; i < count; i++) this.#markEntryStale(app, entries[i]!, t);
  }

  #markEntryStale(app: Appender, entry: CacheEntry, t: number): void {
    if (entry.labels) entry.ref = this.#appendSafe(app, entry.ref, entry.labels, t, STALE[0]!);
  }

  #report(
    app: Appender,
    t: number,
    up: number,
    seconds: number,
    scraped: number,
    postRelabel: number,
    added: number,
  ): void {
    const series = this.#reportSeries;
    const append = (i: number, value: number) => {
      const r = series[i]!;
      r.ref = this.#appendSafe(app, r.ref, r.labels, t, value);
    };
    append(0, up);
    append(1, seconds);
    append(2, scraped);
    append(3, postRelabel);
    append(4, added);
  }
}
