/**
 * @module
 * The dead-letter file: records a destination refused for good (a document it cannot take, or a
 * batch given up on after the configured retries) are appended here as JSON lines,
 * `{"time","output","reason","id","doc"}`, so nothing is dropped silently and an operator can
 * replay them once the cause is fixed.
 */

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentRecord } from '../stage.js';

export class DeadLetterFile {
  readonly path: string;
  readonly #output: string;

  /**
   * @example
   * const dead = new DeadLetterFile('/var/lib/vigil-agent/dead-letter/vigil.ndjson', 'vigil');
   */
  constructor(path: string, output: string) {
    this.path = path;
    this.#output = output;
  }

  /**
   * Appends records with the reason they were refused.
   *
   * @throws {Error} naming the file when it cannot be written; the caller must not acknowledge
   *   the records then.
   */
  write(records: readonly AgentRecord[], reasons: readonly string[] | string): void {
    const time = new Date().toISOString();
    let text = '';
    records.forEach((r, i) => {
      const reason = typeof reasons === 'string' ? reasons : reasons[i]!;
      text += `{"time":"${time}","output":${JSON.stringify(this.#output)},"reason":${JSON.stringify(reason)},"id":${JSON.stringify(r.id)},"doc":${r.json}}\n`;
    });
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, text);
    } catch (err) {
      throw new Error(`cannot write dead-letter file ${this.path}`, { cause: err });
    }
  }
}
