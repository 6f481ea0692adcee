// The token bloom filter of a column as its values' strings give it, token by token (keyword
// strings only), for tests of the builders that fill it in one pass.
import { typeOf } from '../../../model/fields.js';
import { forEachToken } from '../../../model/tokenize.js';
import { bloomAdd, bloomSize, hashKey } from '../bloom.js';

export function referenceBloom(values: readonly unknown[]): Uint8Array {
  const tokens = new Set<string>();
  for (const v of values) {
    if (typeof v === 'string' && typeOf(v) === 'keyword') forEachToken(v, (t) => tokens.add(t));
  }
  const bits = new Uint8Array(bloomSize(tokens.size));
  const h = new Uint32Array(2);
  for (const t of tokens) {
    hashKey(t, h);
    bloomAdd(bits, h);
  }
  return bits;
}
