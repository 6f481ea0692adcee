/**
 * @module
 * Snappy's block format (google/snappy `format_description.txt`): a varint uncompressed length,
 * then literal and copy elements. Prometheus remote write compresses every request body with
 * it. Leaf library: no project imports, no dependencies.
 *
 * @example
 * const block = snappyEncode(body);
 * const again = snappyDecode(block, 32 << 20);
 */
export { snappyDecode, SnappyError, SnappyTooLargeError } from './decode.js';
export { snappyEncode } from './encode.js';
