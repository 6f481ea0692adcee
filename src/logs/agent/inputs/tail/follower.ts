/**
 * @module
 * One followed file: an open descriptor (kept open across a rename or delete, so a rotated file
 * is read to its end), the offset of the next byte to read, the file's parser, and the offset
 * the position database may record (never past a record that has not been handed on).
 *
 * Lines are cut from fixed-size reads at newline bytes. An incomplete line at the end of a read
 * is read again next time rather than kept, so a read always starts at a line start; a line with
 * no newline within a whole read buffer is longer than the maximum, and is cut (counted) and the
 * rest of it skipped up to its newline.
 */

import { closeSync, fstatSync, read } from 'node:fs';
import { promisify } from 'node:util';
import type { LineParser, ParsedLine } from '../../parsers/parser.js';
import type { MessageLifter } from '../../parsers/message.js';
import type { FileIdentity } from './identity.js';
import type { FileJson } from './record-json.js';

const readAsync = promisify(read);

/** A follower's parser until the input chooses one; using it is a bug. */
const UNSET_PARSER: LineParser = {
  push: () => {
    throw new Error('cannot parse: the file has no parser yet');
  },
  resumeFrom: (consumed) => consumed,
  flush: () => {},
};

/** What one {@link Follower.step} did. */
export interface StepResult {
  /** Bytes consumed; 0 at the end of the file. */
  bytes: number;
  /** Lines found, whole or cut. */
  lines: number;
}

export class Follower {
  readonly fd: number;
  readonly identity: FileIdentity;
  /** `<node hash>`-style prefix of this file's record ids. */
  readonly idPrefix: string;
  /** {@link idPrefix} and the `-` after it, as bytes. */
  readonly idPrefixBytes: Buffer;
  /** The path the file was found under; its Kubernetes metadata comes from it. */
  readonly path: string;
  /** Set before the first read; replaced only while {@link held}. */
  parser: LineParser;
  /** The JSON text all this file's records share; rebuilt when the filters' metadata changes. */
  json: FileJson = {
    beforeOffset: '',
    afterOffset: '',
    beforeBytes: Buffer.alloc(0),
    afterBytes: Buffer.alloc(0),
    excluded: false,
  };
  /** A filter waits for this file's metadata: not read yet, parser and JSON not chosen yet. */
  held = false;
  /** The filters' generation {@link json} was built at. */
  generation = 0;
  /** Reads messages into fields (JSON, logfmt, regex), or null for none; set with {@link parser}. */
  lift: MessageLifter | null = null;
  /** Next byte to read. */
  offset: number;
  /** Size at the last step, for the lag metric. */
  size = 0;
  /** When the path stopped naming this file (rename or delete), ms; null while it does. */
  rotatedAt: number | null = null;
  /** When the last byte was read, ms. */
  lastReadAt = Date.now();
  /** Start of an over-long line whose rest is being skipped, or -1. */
  #skipFrom = -1;

  constructor(fd: number, identity: FileIdentity, idPrefix: string, path: string, offset: number) {
    this.fd = fd;
    this.identity = identity;
    this.idPrefix = idPrefix;
    this.idPrefixBytes = Buffer.from(`${idPrefix}-`, 'latin1');
    this.path = path;
    this.parser = UNSET_PARSER;
    this.offset = offset;
  }

  /** The offset a restart must resume at: before any partial record and any skipped line. */
  get resumeOffset(): number {
    const r = this.parser.resumeFrom(this.offset);
    return this.#skipFrom >= 0 ? Math.min(r, this.#skipFrom) : r;
  }

  /** Whether the file shrank below the read offset (copytruncate). */
  truncated(): boolean {
    this.size = fstatSync(this.fd).size;
    return this.size < this.offset;
  }

  /**
   * Reads the next lines into `buf` and parses them into `out`.
   *
   * @param buf reused read buffer, longer than the maximum line (so a whole read without a
   *   newline means a line too long).
   * @param maxLineBytes where an over-long line is cut.
   */
  async step(
    buf: Buffer,
    maxLineBytes: number,
    out: ParsedLine[],
    counts: { truncated: number },
  ): Promise<StepResult> {
    const { bytesRead } = await readAsync(this.fd, buf, 0, buf.length, this.offset);
    if (bytesRead === 0) return { bytes: 0, lines: 0 };
    this.lastReadAt = Date.now();
    let pos = 0;
    let lines = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl === -1 || nl >= bytesRead) break;
      if (this.#skipFrom >= 0) {
        this.#skipFrom = -1;
      } else {
        this.parser.push(buf, pos, nl, this.offset + pos, out);
        lines++;
      }
      pos = nl + 1;
    }
    if (pos === 0 && bytesRead === buf.length) {
      if (this.#skipFrom < 0) {
        this.#skipFrom = this.offset;
        this.parser.push(buf, 0, maxLineBytes, this.offset, out);
        counts.truncated++;
        lines++;
      }
      pos = bytesRead;
    }
    this.offset += pos;
    return { bytes: pos, lines };
  }

  /**
   * For a file that will not grow: parses an unterminated last line and what the parser still
   * holds. Call only at the end of the file.
   */
  async finish(buf: Buffer, out: ParsedLine[]): Promise<void> {
    const { bytesRead } = await readAsync(this.fd, buf, 0, buf.length, this.offset);
    if (bytesRead > 0 && this.#skipFrom < 0) this.parser.push(buf, 0, bytesRead, this.offset, out);
    this.offset += bytesRead;
    this.#skipFrom = -1;
    this.parser.flush(out);
  }

  close(): void {
    closeSync(this.fd);
  }
}
