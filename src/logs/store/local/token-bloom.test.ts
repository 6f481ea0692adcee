import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBloomBuilder } from './token-bloom.js';
import { referenceBloom } from './testdata/reference-bloom.js';

test('token bloom: the same bits as hashing each distinct token string, builder reusable', () => {
  const b = new TokenBloomBuilder();
  const f = (values: (string | number | boolean)[]) => {
    for (const v of values) b.add(v);
    assert.deepEqual(b.build(), referenceBloom(values));
  };
  f([]);
  f(['GET /api/v1/Users', 'get api', 404, -1.5, true, 'Grüße aus KÖLN', 'ÉCOLE école']);
  // Numbers, booleans, dates and addresses add nothing.
  f([404, true, '2024-05-06T10:00:00Z', '10.1.2.3']);
  // Enough distinct tokens to grow the table several times, then a small set again.
  f(Array.from({ length: 5000 }, (_, i) => `Token${i} shared x${i % 7}`));
  f(['after growth']);
});
