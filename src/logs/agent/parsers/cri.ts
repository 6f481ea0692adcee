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
    // `stdout` and `stderr` differ first at their fourth byte.
    const stream = buf[timeEnd + 4] === 0x6f /* o */ ? 'stdout' : 'stderr';
    // Tags are `P` or `F`, possibly followed by `:`-separated future tags.
    const partial = buf[streamEnd + 1] === P;
    const textStart = Math.min(tagsEnd + 1, end);
    this.#joiner.addBytes(stream, buf, start, timeEnd, textStart, end, offset, !partial, out);
  }

  resumeFrom(consumed: number): number {
    return this.#joiner.oldestOffset() ?? consumed;
  }

  flush(out: ParsedLine[]): void {
    this.#joiner.flush(out);
  }
}

function isStream(buf: Buffer, start: number, end: number): boolean {
  if (end - start !== 6 || buf[start] !== 0x73 || buf[start + 1] !== 0x74) return false;
  // `st` + `dout` or `derr`, compared as bytes: no string per line.
  const a = buf[start + 2];
  const b = buf[start + 3];
  const c = buf[start + 4];
  const d = buf[start + 5];
  return (
    a === 0x64 &&
    ((b === 0x6f && c === 0x75 && d === 0x74) || (b === 0x65 && c === 0x72 && d === 0x72))
  );
}
