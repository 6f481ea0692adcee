import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampPos, compact, freeSpot, place } from './grid';

const item = (id: number, x: number, y: number, w: number, h: number) => ({
  id,
  gridPos: { x, y, w, h },
});

test('place: the moved panel takes the spot, the one it hits goes below', () => {
  const out = place([item(1, 0, 0, 12, 4), item(2, 0, 4, 12, 4)], 2, { x: 0, y: 0, w: 12, h: 4 });
  assert.deepEqual(out.find((i) => i.id === 2)!.gridPos, { x: 0, y: 0, w: 12, h: 4 });
  assert.deepEqual(out.find((i) => i.id === 1)!.gridPos, { x: 0, y: 4, w: 12, h: 4 });
});

test('place: resizing wider pushes the neighbour down; compaction closes holes', () => {
  const items = [item(1, 0, 0, 12, 4), item(2, 12, 0, 12, 4), item(3, 0, 10, 6, 2)];
  const out = place(items, 1, { x: 0, y: 0, w: 18, h: 4 });
  assert.deepEqual(out.find((i) => i.id === 2)!.gridPos, { x: 12, y: 4, w: 12, h: 4 });
  // Panel 3 floats up from y 10 to just below panel 1.
  assert.deepEqual(out.find((i) => i.id === 3)!.gridPos, { x: 0, y: 4, w: 6, h: 2 });
});

test('clampPos keeps panels inside 24 columns', () => {
  assert.deepEqual(clampPos({ x: 20, y: -3, w: 8, h: 0 }), { x: 16, y: 0, w: 8, h: 1 });
});

test('compact and freeSpot', () => {
  assert.deepEqual(compact([item(1, 0, 5, 4, 4)])[0]!.gridPos.y, 0);
  assert.deepEqual(freeSpot([item(1, 0, 0, 12, 4)], 12, 8), { x: 12, y: 0, w: 12, h: 8 });
  assert.deepEqual(freeSpot([item(1, 0, 0, 24, 4)], 12, 8), { x: 0, y: 4, w: 12, h: 8 });
});
