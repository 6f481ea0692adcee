/**
 * @module
 * Writes a batch of one file's records straight as bytes, in the entry layout the disk buffer
 * stores (`encoded-record.ts`): a whole ASCII line's message is copied into its JSON with an
 * escape scan, and a JSON message whose keys can be lifted as they stand has its members copied
 * too (`parsers/json-scan.ts`), so the common line makes no string. Anything else — non-ASCII
 * text (decoded, so invalid UTF-8 is replaced and counted), joined lines, logfmt and regex
 * parsers, JSON with keys to move — goes through `record-json.ts` as text. Both ways give the
 * same document.
 */

import {
  ENTRY_ID_HEADER_BYTES,
  ENTRY_JSON_HEADER_BYTES,
  type EncodedRecord,
  entriesOf,
} from '../../encoded-record.js';
import { ByteLine } from '../../parsers/byte-line.js';
import { JsonScan, scanJsonObject } from '../../parsers/json-scan.js';
import type { MessageLifter } from '../../parsers/message.js';
import type { ParsedLine } from '../../parsers/parser.js';
import { recordJson, type FileJson } from './record-json.js';

/** The time of lines that carry none, as a JSON string: text and bytes. */
export interface ReadTime {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * @example
 * const now = readTime(new Date());
 */
export function readTime(date: Date): ReadTime {
  const text = JSON.stringify(date.toISOString());
  return { text, bytes: Buffer.from(text, 'latin1') };
}

const TIMESTAMP = Buffer.from('{"@timestamp":');
const MESSAGE = Buffer.from(',"message":"');
const STREAM_STDOUT = Buffer.from(',"stream":"stdout"');
const STREAM_STDERR = Buffer.from(',"stream":"stderr"');
const HEX = Buffer.from('0123456789abcdef');
const DIGITS = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
/** Room for the fixed parts of a record's JSON besides its file's shared text. */
const FIXED_BYTES = 96;
/** Start size of the scratch buffer: what the tail hands its sink at a time, and some room. */
const SCRATCH_BYTES = 256 << 10;

/** Unused until the input's first batch. */
const EMPTY = Buffer.alloc(0);

export class RecordWriter {
  /** Reused for every batch; {@link take} copies the batch out. */
  #buf = EMPTY;
  #p = 0;

  /**
   * Appends the record of `line`, read from a file whose records share `file` and whose ids
   * begin with `idPrefix` (`<prefix>-`); `lift` is the file's message parsers.
   */
  add(
    idPrefix: Buffer,
    line: ParsedLine,
    file: FileJson,
    lift: MessageLifter | null,
    now: ReadTime,
  ): void {
    this.#ensure(ENTRY_ID_HEADER_BYTES + idPrefix.length + 16 + ENTRY_JSON_HEADER_BYTES);
    const at = this.#p;
    let p = at + ENTRY_ID_HEADER_BYTES;
    p = put(idPrefix, this.#buf, p);
    p = digits(line.offset, 36, this.#buf, p);
    this.#buf.writeUInt16LE(p - at - ENTRY_ID_HEADER_BYTES, at);
    const lenAt = p;
    const jsonStart = lenAt + ENTRY_JSON_HEADER_BYTES;
    this.#p = jsonStart;
    const asBytes =
      line instanceof ByteLine &&
      (lift === null || lift.jsonOnly) &&
      this.#bytes(line, file, lift !== null, now);
    if (!asBytes) {
      const text = recordJson(line, file, lift, now.text);
      this.#p = jsonStart;
      this.#ensure(3 * text.length);
      this.#p += this.#buf.write(text, this.#p, 'utf8');
    }
    this.#buf.writeUInt32LE(this.#p - jsonStart, lenAt);
  }

  /** Bytes of the records added since the last {@link take}. */
  get bytes(): number {
    return this.#p;
  }

  /**
   * The records added since the last call. With `shared` they refer to the writer's own buffer,
   * valid until the next {@link add} (for a sink that copies them); otherwise to a copy.
   */
  take(shared: boolean): EncodedRecord[] {
    const end = this.#p;
    let buf = this.#buf;
    if (!shared) {
      buf = Buffer.allocUnsafeSlow(end);
      this.#buf.copy(buf, 0, 0, end);
    }
    this.#p = 0;
    const records: EncodedRecord[] = [];
    entriesOf(buf, 0, end, records);
    return records;
  }

  #ensure(n: number): void {
    if (this.#p + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(SCRATCH_BYTES, 2 * this.#buf.length, this.#p + n));
    this.#buf.copy(next, 0, 0, this.#p);
    this.#buf = next;
  }

  /** Writes the JSON of `line` from its bytes; false (nothing kept) when it must go as text. */
  #bytes(line: ByteLine, file: FileJson, json: boolean, now: ReadTime): boolean {
    const src = line.buf;
    const ts = line.textStart;
    const te = line.textEnd;
    const stream =
      line.stream === undefined
        ? null
        : line.stream === 'stdout'
          ? STREAM_STDOUT
          : line.stream === 'stderr'
            ? STREAM_STDERR
            : undefined;
    if (stream === undefined) return false;
    const timeBytes =
      line.timeStart < 0 ? now.bytes.length : 6 * (line.timeEnd - line.timeStart) + 2;
    this.#ensure(
      FIXED_BYTES + timeBytes + 7 * (te - ts) + file.beforeBytes.length + file.afterBytes.length,
    );
    const out = this.#buf;
    let p = put(TIMESTAMP, out, this.#p);
    if (line.timeStart < 0) {
      p = put(now.bytes, out, p);
    } else {
      out[p++] = 0x22;
      p = escape(src, line.timeStart, line.timeEnd, out, p);
      if (p < 0) return false;
      out[p++] = 0x22;
    }
    p = put(MESSAGE, out, p);
    p = escape(src, ts, te, out, p);
    if (p < 0) return false;
    out[p++] = 0x22;
    if (stream !== null) p = put(stream, out, p);
    if (json && te - ts >= 2 && src[ts] === 0x7b && src[te - 1] === 0x7d) {
      const scan = scanJsonObject(src, ts, te);
      if (scan === JsonScan.Undecided) return false;
      if (scan === JsonScan.Plain) {
        // The members as written, without the braces and the blanks inside them.
        let a = ts + 1;
        let b = te - 1;
        while (a < b && isBlank(src[a]!)) a++;
        while (b > a && isBlank(src[b - 1]!)) b--;
        if (b > a) {
          out[p++] = 0x2c;
          p += src.copy(out, p, a, b);
        }
      }
    }
    p = put(file.beforeBytes, out, p);
    p = digits(line.offset, 10, out, p);
    p = put(file.afterBytes, out, p);
    this.#p = p;
    return true;
  }
}

function isBlank(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Copies `src` to `out[p]`; returns the end. Short ones byte by byte: `copy` costs a call into C++. */
function put(src: Buffer, out: Buffer, p: number): number {
  const n = src.length;
  if (n > 32) return p + src.copy(out, p);
  for (let i = 0; i < n; i++) out[p + i] = src[i]!;
  return p + n;
}

/** `n` (a non-negative integer) in `base`, lower case, as `Number.prototype.toString` writes it. */
function digits(n: number, base: number, out: Buffer, p: number): number {
  let len = 1;
  for (let x = Math.floor(n / base); x > 0; x = Math.floor(x / base)) len++;
  for (let i = p + len - 1; i >= p; i--) {
    out[i] = DIGITS[n % base]!;
    n = Math.floor(n / base);
  }
  return p + len;
}

/**
 * Writes `src[start, end)` as the inside of a JSON string, escaped as `JSON.stringify` escapes;
 * -1 at the first non-ASCII byte (such text is decoded and goes as text). `out` must have room
 * for 6 bytes per byte.
 */
function escape(src: Buffer, start: number, end: number, out: Buffer, p: number): number {
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) {
      if (b >= 0x80) return -1;
      out[p++] = b;
      continue;
    }
    out[p++] = 0x5c;
    if (b === 0x22 || b === 0x5c) out[p++] = b;
    else if (b === 0x0a) out[p++] = 0x6e;
    else if (b === 0x09) out[p++] = 0x74;
    else if (b === 0x0d) out[p++] = 0x72;
    else if (b === 0x08) out[p++] = 0x62;
    else if (b === 0x0c) out[p++] = 0x66;
    else {
      out[p++] = 0x75;
      out[p++] = 0x30;
      out[p++] = 0x30;
      out[p++] = HEX[b >> 4]!;
      out[p++] = HEX[b & 15]!;
    }
  }
  return p;
}
