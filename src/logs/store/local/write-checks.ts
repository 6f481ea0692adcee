/**
 * @module
 * What a document must be before the store takes it, each failure in Elasticsearch's terms (an
 * error type and a reason): a JSON object that serializes, within the size limit, with an id
 * of 1 to 512 bytes when it has one. The index name and id dedupe are the store's own checks.
 */

import type { WriteRequest, WriteResult } from '../interface.js';

/** A refused document's result. */
export type Rejected = Extract<WriteResult, { status: 'rejected' }>;

/**
 * The document's JSON text, or why it is refused.
 *
 * @example
 * const checked = checkDocument(req, 10 << 20);
 * if ('status' in checked) results.push(checked); // refused
 */
export function checkDocument(req: WriteRequest, maxDocBytes: number): { json: string } | Rejected {
  const source = req.source as unknown;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    return reject(req, 'mapper_parsing_exception', 'document is not a JSON object');
  }
  let json: string;
  try {
    // A caller's JSON text saves serializing the source (a few µs per document).
    json = req.json ?? JSON.stringify(req.source);
  } catch (err) {
    return reject(
      req,
      'mapper_parsing_exception',
      `cannot serialize document: ${(err as Error).message}`,
    );
  }
  // A `toJSON` may make an object something else.
  if (typeof json !== 'string' || (req.json === undefined && json[0] !== '{')) {
    return reject(req, 'mapper_parsing_exception', 'document is not a JSON object');
  }
  if (json.length > maxDocBytes) {
    return reject(
      req,
      'document_too_large',
      `document of ${json.length} bytes exceeds ${maxDocBytes}`,
    );
  }
  if (req.id !== undefined && (req.id === '' || Buffer.byteLength(req.id) > 512)) {
    return reject(req, 'illegal_argument_exception', 'id must be 1 to 512 bytes');
  }
  return { json };
}

// A module function, not a closure per call: tsx's keepNames wraps each closure it creates in a
// defineProperty call, which cost about a µs per document in the benchmark.
function reject(req: WriteRequest, type: string, reason: string): Rejected {
  return { status: 'rejected', id: req.id, type, reason };
}
