/**
 * @module
 * Docker's json-file format (`/var/lib/docker/containers/<id>/<id>-json.log`, linked from
 * /var/log/containers on docker nodes): one JSON object per line,
 * `{"log":"text\n","stream":"stdout","time":"2024-05-06T07:08:09.123456789Z"}`. Docker splits a
 * line longer than 16 KiB into pieces whose `log` does not end in a newline; the pieces of one
 * stream are joined until one does.
 */

import type { LineParser, ParsedLine, ParserOptions } from './parser.js';
import { PartialJoiner } from './partials.js';
import { decodeText } from './utf8.js';

interface DockerLine {
  log?: unknown;
  stream?: unknown;
  time?: unknown;
}

export class DockerParser implements LineParser {
  readonly #options: ParserOptions;
  readonly #joiner: PartialJoiner;

  constructor(options: ParserOptions) {
    this.#options = options;
    this.#joiner = new PartialJoiner(options);
  }

  push(buf: Buffer, start: number, end: number, offset: number, out: ParsedLine[]): void {
    const text = decodeText(buf, start, end, this.#options.counts);
    let line: DockerLine | null = null;
    try {
      line = JSON.parse(text) as DockerLine;
    } catch {
      // Taken as plain text below.
    }
    if (line === null || typeof line !== 'object' || typeof line.log !== 'string') {
      this.#options.counts.malformed++;
      out.push({
        offset,
        time: undefined,
        stream: undefined,
        message: text.slice(0, this.#options.maxMessageBytes),
      });
      return;
    }
    const stream = line.stream === 'stderr' ? 'stderr' : 'stdout';
    const time = typeof line.time === 'string' ? line.time : new Date().toISOString();
    const log = line.log;
    const last = log.endsWith('\n');
    // Re-encoded so the joiner can join pieces as bytes; docker already escaped invalid UTF-8.
    const bytes = Buffer.from(last ? log.slice(0, -1) : log, 'utf8');
    this.#joiner.add(stream, time, bytes, 0, bytes.length, offset, last, out);
  }

  resumeFrom(consumed: number): number {
    return this.#joiner.oldestOffset() ?? consumed;
  }

  flush(out: ParsedLine[]): void {
    this.#joiner.flush(out);
  }
}
