/**
 * @module
 * Picks a file's format from its first line: `{` starts a docker json-file line, a line that
 * parses as CRI is CRI, anything else is plain text. One file keeps one format; runtimes do not
 * change format within a file.
 */

import { CriParser } from './cri.js';
import { DockerParser } from './docker.js';
import type { LineParser, ParsedLine, ParserFormat, ParserOptions } from './parser.js';
import { RawParser } from './raw.js';

/**
 * @example
 * const parser = createParser('auto', { maxMessageBytes: 262144, counts });
 */
export function createParser(format: ParserFormat, options: ParserOptions): LineParser {
  switch (format) {
    case 'cri':
      return new CriParser(options);
    case 'docker':
      return new DockerParser(options);
    case 'raw':
      return new RawParser(options);
    case 'auto':
      return new AutoParser(options);
  }
}

class AutoParser implements LineParser {
  readonly #options: ParserOptions;
  #chosen: LineParser | null = null;

  constructor(options: ParserOptions) {
    this.#options = options;
  }

  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void {
    if (this.#chosen === null) this.#chosen = this.#choose(buf, start, end);
    this.#chosen.push(buf, start, end, offset, out);
  }

  resumeFrom(consumed: number): number {
    return this.#chosen?.resumeFrom(consumed) ?? consumed;
  }

  flush(out: ParsedLine[]): void {
    this.#chosen?.flush(out);
  }

  #choose(buf: Buffer, start: number, end: number): LineParser {
    if (buf[start] === 0x7b /* { */) return new DockerParser(this.#options);
    // Probe with throwaway counts so the probe itself is not counted as malformed.
    const probe = { truncated: 0, invalidUtf8: 0, malformed: 0 };
    new CriParser({ ...this.#options, counts: probe }).push(buf, start, end, 0, []);
    return probe.malformed === 0 ? new CriParser(this.#options) : new RawParser(this.#options);
  }
}
