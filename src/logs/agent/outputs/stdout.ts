/**
 * @module
 * A sink that prints each record as a JSON line (`{"_id":…, …document}`) on stdout, for
 * `vigil agent --dry-run`: see what the parsers and filters make of a node's files without
 * sending anything or moving any position.
 */

import type { AgentRecord, RecordSink } from '../stage.js';

export class StdoutSink implements RecordSink {
  readonly #write: (text: string) => Promise<void>;

  /**
   * @example
   * const sink = new StdoutSink((text) => new Promise((r) => process.stdout.write(text, () => r())));
   */
  constructor(write: (text: string) => Promise<void>) {
    this.#write = write;
  }

  async append(records: readonly AgentRecord[]): Promise<void> {
    let text = '';
    for (const r of records) text += `{"_id":${JSON.stringify(r.id)},${r.json.slice(1)}\n`;
    // Waiting for the write is back-pressure: `--dry-run | head` must not buffer a node's logs.
    if (text !== '') await this.#write(text);
  }

  async sync(): Promise<void> {}
}
