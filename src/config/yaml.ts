/**
 * @module
 * Reading a YAML document for a configuration-style file (vigil.yml, a file_sd file): duplicate
 * keys refused, positions kept for later messages, and syntax errors reported as a
 * {@link ConfigError} at their line and column without the parser's own position suffix.
 */

import { LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError } from './errors.js';

/**
 * @throws {ConfigError} naming `file` and the position of each syntax error.
 * @example
 * const { doc, lineCounter } = parseYaml('log:\n  level: debug\n', 'vigil.yml');
 */
export function parseYaml(text: string, file: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        ...lineCounter.linePos(e.pos[0]),
        key: '',
        message: `cannot parse YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  }
  return { doc, lineCounter };
}
