/**
 * @module
 * The previous scrape's series in body order, as byte spans of its body. A target in its steady
 * state exposes the same series in the same order with new values, so the scrape loop first asks
 * whether the series at hand has the bytes of the one expected next; when it does, the loop has
 * that series' cache entry without making its string, hashing it and probing a map (Prometheus'
 * scrape cache still hashes the bytes; in JS, making the string is the larger part of the cost).
 * Equal bytes are an equal series, so a match is never wrong; a miss only costs the lookup it
 * tried to avoid. The comparison is either {@link SeriesOrder.match}'s or the text parser's,
 * given the expected series as a guess (it then skips reading the labels too).
 *
 * `commit()` copies the body into a buffer the order keeps and reuses: a body kept for a whole
 * scrape interval would outlive the young generation, and each would then take a full GC to
 * free; a copy costs a memcpy. A body must not change between `begin()` and `commit()`.
 */

const EMPTY = new Uint8Array(0);

/** Series spans of one scrape: `[start, end)` of series k at `spans[2k]`, `spans[2k + 1]`. */
class Recording<T> {
  body: Uint8Array = EMPTY;
  spans = new Int32Array(2 * 1024);
  items: T[] = [];
  length = 0;

  /** Items past `length` stay until overwritten: the array keeps its capacity between scrapes. */
  clear(body: Uint8Array): void {
    this.body = body;
    this.length = 0;
  }
}

/**
 * Records the series of a scrape and matches the next scrape's series against them. Not
 * reentrant: one scrape of one target at a time.
 */
export class SeriesOrder<T> {
  #previous = new Recording<T>();
  #current = new Recording<T>();
  /** Position in the previous scrape of the series expected next. */
  #cursor = 0;
  /** The previous scrape's body bytes (and spare room), reused from scrape to scrape. */
  #copy: Uint8Array = EMPTY;

  /** Starts recording the scrape of `body`. */
  begin(body: Uint8Array): void {
    this.#current.clear(body);
    this.#cursor = 0;
  }

  /** The previous scrape's body, in which the series expected next lies. */
  get previousBody(): Uint8Array {
    return this.#previous.body;
  }

  /** Whether a series is expected next: the previous scrape had more. */
  hasExpected(): boolean {
    return this.#cursor < this.#previous.length;
  }

  /** Start of the series expected next in {@link previousBody}; only when {@link hasExpected}. */
  expectedStart(): number {
    return this.#previous.spans[2 * this.#cursor]!;
  }

  /** End of the series expected next in {@link previousBody}, exclusive. */
  expectedEnd(): number {
    return this.#previous.spans[2 * this.#cursor + 1]!;
  }

  /**
   * The item of the series expected next, which the caller found to have its bytes (a parser
   * recognised it); then expects the one after it. Only when {@link hasExpected}.
   */
  take(): T {
    return this.#previous.items[this.#cursor++]!;
  }

  /**
   * The item of the series expected next when `body[start, end)` (body as given to
   * {@link begin}) has its bytes, and then expects the one after it; else undefined.
   *
   * @example
   * const entry = order.match(parser.seriesStart(), parser.seriesEnd()) ?? lookUp(parser.series());
   */
  match(start: number, end: number): T | undefined {
    const prev = this.#previous;
    const k = this.#cursor;
    if (k >= prev.length) return undefined;
    const from = prev.spans[2 * k]!;
    const len = end - start;
    if (prev.spans[2 * k + 1]! - from !== len) return undefined;
    const a = this.#current.body;
    const b = prev.body;
    for (let i = 0; i < len; i++) if (a[start + i] !== b[from + i]) return undefined;
    this.#cursor = k + 1;
    return prev.items[k];
  }

  /**
   * Expects next the series after position `pos` of the previous scrape: the caller found the
   * series at `pos` by other means, for example after the one expected went missing.
   */
  resync(pos: number): void {
    this.#cursor = pos + 1;
  }

  /** Records `body[start, end)` as the next series of this scrape; returns its position. */
  push(start: number, end: number, item: T): number {
    const cur = this.#current;
    const k = cur.length;
    if (2 * k === cur.spans.length) {
      const spans = new Int32Array(2 * cur.spans.length);
      spans.set(cur.spans);
      cur.spans = spans;
    }
    cur.spans[2 * k] = start;
    cur.spans[2 * k + 1] = end;
    cur.items[k] = item;
    cur.length = k + 1;
    return k;
  }

  /** The recorded scrape becomes the one the next scrape is matched against. */
  commit(): void {
    const prev = this.#previous;
    const cur = this.#current;
    const body = cur.body;
    if (this.#copy.length < body.length) {
      // An eighth more: bodies grow a little as values get longer, and each growth reallocates.
      this.#copy = new Uint8Array(body.length + (body.length >> 3));
    }
    this.#copy.set(body);
    cur.body = this.#copy;
    this.#previous = cur;
    this.#current = prev;
    prev.clear(EMPTY);
  }

  /** Forgets the previous scrape (the last one failed): the next scrape matches nothing. */
  reset(): void {
    this.#previous.clear(EMPTY);
    this.#previous.items.length = 0;
    this.#current.clear(EMPTY);
    this.#current.items.length = 0;
  }
}
