/**
 * @module
 * The KQL syntax error. Its message is Kibana's, word for word, so users and tools that know
 * Kibana's errors read ours the same way:
 *
 * ```
 * Expected "(", "{", value, whitespace but end of input found.
 * response:
 * ---------^
 * ```
 *
 * The expectation list is sorted and deduplicated by grammar description before Kibana's
 * translations (`fieldName` → `field name`) are applied, which is why `field name` sorts where
 * `fieldName` would.
 */

const translations: Record<string, string> = { fieldName: 'field name' };

/**
 * A query that does not parse. `offset` is the UTF-16 offset where the parser got furthest;
 * `line` and `column` (1-based, column in UTF-16 units) locate it for editors. `expected` holds
 * the grammar descriptions as Kibana prints them; `found` is the character there, or `null` at
 * the end of the query.
 *
 * @example
 * try { parse('response:'); } catch (e) { (e as KqlSyntaxError).shortMessage; }
 * // 'Expected "(", "{", value, whitespace but end of input found.'
 */
export class KqlSyntaxError extends Error {
  readonly shortMessage: string;
  readonly expected: readonly string[];
  readonly line: number;
  readonly column: number;

  constructor(
    readonly query: string,
    readonly offset: number,
    expected: readonly string[],
    readonly found: string | null,
  ) {
    const list = [...new Set(expected)].sort().map((d) => translations[d] ?? d);
    const shortMessage = `Expected ${list.join(', ')} but ${found === null ? 'end of input' : `"${found}"`} found.`;
    // Kibana draws the caret under the offset on the query as one line, newlines and all.
    super(`${shortMessage}\n${query}\n${'-'.repeat(offset)}^`);
    this.name = 'KqlSyntaxError';
    this.shortMessage = shortMessage;
    this.expected = list;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (query.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    this.line = line;
    this.column = offset - lineStart + 1;
  }
}

/**
 * A query that parses but cannot be compiled into a search: a date that does not read, a regex
 * that does not parse, a nested path with a wildcard. `span` is the node at fault; with the query
 * text the message shows it under the query, as {@link KqlSyntaxError} shows its offset.
 *
 * @example
 * try { compileKql(parse(q), { now, query: q }); } catch (e) { (e as KqlCompileError).span; }
 */
export class KqlCompileError extends Error {
  readonly shortMessage: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;

  constructor(
    shortMessage: string,
    readonly span: { readonly start: number; readonly end: number },
    readonly query?: string,
    options?: { cause?: unknown },
  ) {
    const marks =
      query === undefined
        ? ''
        : `\n${query}\n${'-'.repeat(span.start)}${'^'.repeat(Math.max(1, span.end - span.start))}`;
    super(`${shortMessage}${marks}`, options);
    this.name = 'KqlCompileError';
    this.shortMessage = shortMessage;
    this.offset = span.start;
    const before = query?.slice(0, span.start) ?? '';
    const lastNewline = before.lastIndexOf('\n');
    this.line = before.split('\n').length;
    this.column = span.start - (lastNewline + 1) + 1;
  }
}
