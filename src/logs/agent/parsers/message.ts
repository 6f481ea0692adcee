/**
 * @module
 * Message parsers: after the line format (CRI, docker, plain) gave a record its message, these
 * read the message itself and lift what it holds into the record's fields — JSON objects
 * (`json-fields.ts`), logfmt (`logfmt.ts`) and named regular expressions, whose named groups
 * become fields. An input tries its parsers in order and the first that reads the message
 * wins; a message none reads is kept as it is and counted (when the input names a logfmt or
 * regex parser; plain text is what most lines are when only JSON is tried).
 *
 * logfmt and regex parsers may name the field holding the record's time and its format
 * (`time-format.ts`): the time read replaces the one the runtime wrote; a time that does not
 * read is counted and the runtime's kept. A field named like the parser's `message_field`
 * becomes the message. A key the agent itself sets (`@timestamp`, `kubernetes`, `log`, …) goes
 * under `<type>.<key>` (`logfmt.host`, `regex.log`) rather than overwrite where the line came
 * from, as JSON's go under `json.<key>`.
 */

import { liftJson } from './json-fields.js';
import { parseLogfmt, setOwn } from './logfmt.js';
import type { TimeReader } from './time-format.js';

/** What a message parser read: the message to keep, the fields to add, and the time. */
export interface MessageFields {
  message: string;
  /** The fields as the members of a JSON object without its braces, or empty. */
  members: string;
  /** The time read from the message (RFC 3339), or undefined to keep the line's. */
  time: string | undefined;
}

/** Counts the parsers of one input keep for `/metrics`; they only increment them. */
export interface MessageCounts {
  /** Messages none of the input's logfmt or regex parsers read, kept as they are. */
  unparsed: number;
  /** Time fields that did not have the configured format; the line's time was kept. */
  badTime: number;
}

export interface MessageParser {
  readonly name: string;
  /** Reads `message`; undefined when it is not in this parser's format. */
  parse(message: string, counts: MessageCounts): MessageFields | undefined;
}

/** JSON objects, as `json-fields.ts` lifts them. */
export const jsonMessageParser: MessageParser = {
  name: 'json',
  parse(message) {
    const l = liftJson(message);
    return l === undefined
      ? undefined
      : { message: l.message, members: l.members, time: undefined };
  },
};

/**
 * Keys the agent sets on records — files' and the journal's (`systemd`, `syslog`, `process`,
 * `journald`) — and the namespaces parsers move such keys under.
 */
const RESERVED = new Set([
  '@timestamp',
  'kubernetes',
  'log',
  'stream',
  'host',
  'container',
  'systemd',
  'syslog',
  'process',
  'journald',
  'json',
  'logfmt',
  'regex',
]);

/** What logfmt and regex parsers share: where the time and the message are. */
export interface FieldParserOptions {
  /** Names the parser in the configuration. */
  name: string;
  /** The field that holds the record's time, or '' for none. */
  timeField: string;
  /** Reads that field; required with `timeField`. */
  readTime: TimeReader | null;
  /** A string field of this name becomes the message (and is not kept as a field). */
  messageField: string;
}

/** Shared lifting for parsers that read a message into string fields. */
abstract class FieldParser implements MessageParser {
  readonly name: string;
  readonly #o: FieldParserOptions;
  readonly #namespace: string;

  constructor(options: FieldParserOptions, namespace: string) {
    this.name = options.name;
    this.#o = options;
    this.#namespace = namespace;
  }

  protected abstract read(message: string): Record<string, string | true> | undefined;

  parse(message: string, counts: MessageCounts): MessageFields | undefined {
    const read = this.read(message);
    if (read === undefined) return undefined;
    const fields: Record<string, unknown> = {};
    let nested: Record<string, unknown> | undefined;
    let text = message;
    let time: string | undefined;
    for (const k in read) {
      const v = read[k]!;
      if (k === this.#o.messageField && typeof v === 'string') text = v;
      else if (k === 'message' || RESERVED.has(k)) setOwn((nested ??= {}), k, v);
      else setOwn(fields, k, v);
    }
    if (nested !== undefined) fields[this.#namespace] = nested;
    if (this.#o.timeField !== '' && this.#o.readTime !== null) {
      const raw = read[this.#o.timeField];
      if (typeof raw === 'string') {
        time = this.#o.readTime(raw);
        if (time === undefined) counts.badTime++;
      }
    }
    const members = JSON.stringify(fields).slice(1, -1);
    return { message: text, members, time };
  }
}

/** logfmt messages (`level=warn msg="…"`). */
export class LogfmtParser extends FieldParser {
  constructor(options: FieldParserOptions) {
    super(options, 'logfmt');
  }

  protected read(message: string): Record<string, string | true> | undefined {
    return parseLogfmt(message);
  }
}

/** A regular expression whose named groups become fields; groups that did not take part are left out. */
export class RegexParser extends FieldParser {
  readonly #re: RegExp;

  /**
   * @example
   * new RegexParser({ name: 'access', timeField: '', readTime: null, messageField: 'message' },
   *   /^(?<client>\S+) "(?<method>\S+) (?<path>\S+)"/);
   */
  constructor(options: FieldParserOptions, re: RegExp) {
    super(options, 'regex');
    this.#re = re;
  }

  protected read(message: string): Record<string, string | true> | undefined {
    const groups = this.#re.exec(message)?.groups;
    if (groups === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const k in groups) {
      const v = groups[k];
      if (v !== undefined) setOwn(out, k, v);
    }
    return out;
  }
}

/** The parsers of one input, tried in order. */
export class MessageLifter {
  readonly counts: MessageCounts;
  /** Only JSON is tried: the tail input can then lift plain JSON objects from their bytes. */
  readonly jsonOnly: boolean;
  readonly #parsers: readonly MessageParser[];
  /** Whether a message none reads is counted: only when a logfmt or regex parser is among them. */
  readonly #countUnparsed: boolean;

  /** `counts` may be shared by lifters whose counts are reported together (one input's files). */
  constructor(
    parsers: readonly MessageParser[],
    counts: MessageCounts = { unparsed: 0, badTime: 0 },
  ) {
    this.counts = counts;
    this.#parsers = parsers;
    this.jsonOnly = parsers.length === 1 && parsers[0] === jsonMessageParser;
    this.#countUnparsed = parsers.some((p) => p !== jsonMessageParser);
  }

  /** The first parser's reading of `message`, or undefined (counted) when none reads it. */
  lift(message: string): MessageFields | undefined {
    for (const p of this.#parsers) {
      const r = p.parse(message, this.counts);
      if (r !== undefined) return r;
    }
    if (this.#countUnparsed) this.counts.unparsed++;
    return undefined;
  }
}
