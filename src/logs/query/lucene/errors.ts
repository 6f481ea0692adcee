/**
 * @module
 * The error of a `query_string` that cannot be read. Its message follows Lucene's
 * `ParseException` as Elasticsearch shows it in a `parse_exception`, so people who know those
 * messages read ours the same way:
 *
 * ```
 * Cannot parse 'status:(200': Encountered "<EOF>" at line 1, column 11. Was expecting one of: ")" …
 * ```
 *
 * Columns are 1-based UTF-16 units; at the end of the query Lucene names the last character's
 * column, and so do we.
 */

/**
 * A query that does not parse or compile. `offset` is where (UTF-16); `line` and `column`
 * (1-based) locate it for editors; `reason` is the part after the query.
 *
 * @example
 * try { parseLucene('a:('); } catch (e) { (e as LuceneSyntaxError).column; } // 3
 */
export class LuceneSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(
    readonly query: string,
    readonly offset: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    const at = Math.max(0, Math.min(offset, query.length - 1));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (query.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = at - lineStart + 1;
    super(
      `Cannot parse '${query}': ${reason.replace('{at}', `at line ${line}, column ${column}`)}`,
      options,
    );
    this.name = 'LuceneSyntaxError';
    this.line = line;
    this.column = column;
  }
}
