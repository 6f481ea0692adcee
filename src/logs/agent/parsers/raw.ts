/**
 * @module
 * Plain text files: each line is one record, without a time of its own (it gets the time it is
 * read) and with a trailing `\r` removed, for files written with CRLF line ends.
 */

import type { LineParser, ParsedLine, ParserOptions } from './parser.js';
import { ByteLine } from './byte-line.js';

export class RawParser implements LineParser {
  readonly #options: ParserOptions;

  constructor(options: ParserOptions) {
    this.#options = options;
  }

  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void {
    if (end > start && buf[end - 1] === 13) end--;
    const max = this.#options.maxMessageBytes;
    if (end - start > max) {
      end = start + max;
      this.#options.counts.truncated++;
    }
    out.push(new ByteLine(offset, undefined, buf, -1, -1, start, end, this.#options.counts));
  }

  resumeFrom(consumed: number): number {
    return consumed;
  }

  flush(): void {}
}
