/**
 * @module
 * The email message of a notification (RFC 5322 with MIME): headers with non-ASCII values
 * Q-encoded (RFC 2047), and a `multipart/alternative` body whose text and HTML parts are
 * quoted-printable, so any UTF-8 travels over a 7-bit server with lines of at most 76 bytes.
 */

import { randomBytes } from 'node:crypto';

/** Longest encoded line, RFC 2045's limit. */
const QP_LINE = 76;

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text; line breaks become CRLF.
 *
 * @example
 * quotedPrintable('café = 1\n'); // 'caf=C3=A9 =3D 1\r\n'
 */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const bytes = Buffer.from(line, 'utf8');
    let cur = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const enc = plain
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      // A soft break ('=' at the end) keeps each line within the limit.
      if (cur.length + enc.length > QP_LINE - 1) {
        out.push(`${cur}=\r\n`);
        cur = '';
      }
      cur += enc;
    }
    out.push(`${cur}\r\n`);
  }
  return out.join('').replace(/\r\n$/, '');
}

/**
 * A header value as Go's `mime.QEncoding.Encode("utf-8", v)`: unchanged when printable ASCII.
 *
 * @example
 * encodeHeader('Störung'); // '=?utf-8?q?St=C3=B6rung?='
 */
export function encodeHeader(v: string): string {
  if (/^[\x20-\x7e\t]*$/.test(v)) return v;
  const words: string[] = [];
  let cur = '';
  // Encoded words are at most 75 characters; whole UTF-8 characters stay in one word.
  for (const ch of v) {
    let enc = '';
    for (const b of Buffer.from(ch, 'utf8')) {
      enc +=
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
          ? String.fromCharCode(b)
          : b === 32
            ? '_'
            : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    if (cur.length + enc.length > 75 - '=?utf-8?q??='.length) {
      words.push(`=?utf-8?q?${cur}?=`);
      cur = '';
    }
    cur += enc;
  }
  words.push(`=?utf-8?q?${cur}?=`);
  return words.join(' ');
}

export interface EmailMessage {
  /** Header name to value, in the order written; values are encoded here. */
  headers: [string, string][];
  text: string;
  html: string;
}

/**
 * The message's text, CRLF line ends, ready for DATA (dot-stuffing is the session's).
 *
 * @example
 * buildMessage({ headers: [['Subject', 'x']], text: 'hi', html: '' }, 'vigil.example');
 */
export function buildMessage(m: EmailMessage, host: string, now = Date.now()): string {
  const boundary = randomBytes(16).toString('hex');
  const lines: string[] = [];
  for (const [name, value] of m.headers) lines.push(`${name}: ${encodeHeader(value)}`);
  lines.push(`Message-Id: <${now}.${randomBytes(8).readBigUInt64BE()}@${host}>`);
  lines.push(`Date: ${rfc1123z(now)}`);
  lines.push(`Content-Type: multipart/alternative;  boundary=${boundary}`);
  lines.push('MIME-Version: 1.0');
  lines.push('');
  for (const [type, body] of [
    ['text/plain', m.text],
    ['text/html', m.html],
  ] as const) {
    if (body === '') continue;
    lines.push(`--${boundary}`);
    lines.push(`Content-Transfer-Encoding: quoted-printable`);
    lines.push(`Content-Type: ${type}; charset=UTF-8`);
    lines.push('');
    lines.push(quotedPrintable(body));
  }
  lines.push(`--${boundary}--`);
  return `${lines.join('\r\n')}\r\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon, 02 Jan 2006 15:04:05 -0700`, in UTC. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
