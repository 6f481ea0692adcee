/**
 * @module
 * A record sink for tests of the agent's inputs: it keeps what an input hands on, as a buffer
 * would take it, and counts syncs.
 */

import type { AgentRecord, RecordSink } from '../../src/logs/agent/stage.js';

export class CollectingSink implements RecordSink {
  records: AgentRecord[] = [];
  /** Bytes of id and JSON text (UTF-16 code units) of each append. */
  appendBytes: number[] = [];
  syncs = 0;
  async append(records: readonly AgentRecord[]): Promise<void> {
    this.records.push(...records);
    this.appendBytes.push(records.reduce((n, r) => n + r.id.length + r.json.length, 0));
  }
  async sync(): Promise<void> {
    this.syncs++;
  }
  docs(): Record<string, unknown>[] {
    return this.records.map((r) => JSON.parse(r.json) as Record<string, unknown>);
  }
  messages(): string[] {
    return this.docs().map((d) => d.message as string);
  }
}
