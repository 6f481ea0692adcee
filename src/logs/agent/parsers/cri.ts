/**
 * @module
 * The CRI log format that containerd and CRI-O write under /var/log/pods:
 * `<RFC 3339 time> <stdout|stderr> <tags> <text>`, where the tags are `F` (full) or `P`
 * (partial: the runtime split a long line, the rest follows in later lines of the same stream).
 * Parsed with a byte scan, no regular expression, as it runs for every line a node writes.
 * A line that does not have the format is kept whole as a plain-text record and counted.
 */

import type { LineParser, ParsedLine, ParserOptions } from './parser.js';
import { PartialJoiner } from './partials.js';
import { decodeText } from './utf8.js';

const SPACE = 0x20;
const P = 0x50;

export class CriParser implements LineParser {
  readonly #options: ParserOptions;
  readonly #joiner: PartialJoiner;

  constructor(options: ParserOptions) {
    this.#options = options;
    this.#joiner = new PartialJoiner(options);
  }

  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void {
    const timeEnd = buf.indexOf(SPACE, start);
    const streamEnd = timeEnd === -1 || timeEnd >= end ? -1 : buf.indexOf(SPACE, timeEnd + 1);
    let tagsEnd = streamEnd === -1 || streamEnd >= end ? -1 : buf.indexOf(SPACE, streamEnd + 1);
    // "<time> <stream> F" with an empty text may come without the last space.
    if (tagsEnd === -1 && streamEnd !== -1 && streamEnd < end && end - streamEnd === 2)
      tagsEnd = end;
    if (tagsEnd === -1 || tagsEnd > end || !isStream(buf, timeEnd + 1, streamEnd)) {
      this.#options.counts.malformed++;
      out.push({
        offset,
        time: undefined,
        stream: undefined,
        message: decodeText(
          buf,
          start,
          Math.min(end, start + this.#options.maxMessageBytes),
          this.#options.counts,
        ),
      });
      return;
    }
    const time = buf.toString('latin1', start, timeEnd);
    // `stdout` and `stderr` differ first at their fourth byte.
    const stream = buf[timeEnd + 4] === 0x6f /* o */ ? 'stdout' : 'stderr';
    // Tags are `P` or `F`, possibly followed by `:`-separated future tags.
    const partial = buf[streamEnd + 1] === P;
    const textStart = Math.min(tagsEnd + 1, end);
    this.#joiner.add(stream, time, buf, textStart, end, offset, !partial, out);
  }

  resumeFrom(consumed: number): number {
    return this.#joiner.oldestOffset() ?? consumed;
  }

  flush(out: ParsedLine[]): void {
    this.#joiner.flush(out);
  }
}

function isStream(buf: Buffer, start: number, end: number): boolean {
  if (end - start !== 6) return false;
  const s = buf.toString('latin1', start, end);
  return s === 'stdout' || s === 'stderr';
}
