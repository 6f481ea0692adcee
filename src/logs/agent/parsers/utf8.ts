/**
 * @module
 * Decoding log bytes to text. Logs are not always valid UTF-8 (binary output, a line cut in the
 * middle of a character, Latin-1 applications); invalid sequences become U+FFFD, as every
 * shipper does, and the caller counts the record so an operator can see it happened.
 */

import { isUtf8 } from 'node:buffer';
import type { ParseCounts } from './parser.js';

/**
 * Decodes `buf[start, end)`, counting it in `counts.invalidUtf8` when it had to be repaired.
 *
 * @example
 * decodeText(Buffer.from([0x61, 0xff]), 0, 2, counts); // 'a\uFFFD', counts.invalidUtf8 + 1
 */
export function decodeText(buf: Buffer, start: number, end: number, counts: ParseCounts): string {
  const s = buf.toString('utf8', start, end);
  // U+FFFD in the text means either a repair or a real U+FFFD; only then pay for the check.
  if (s.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) counts.invalidUtf8++;
  return s;
}
