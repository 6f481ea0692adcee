import { alloc, bytesEqual, grown, hashBytes, keep } from './memory';

// Shapes: a document's shape is the sequence of its structure: 0 `{`, 1 `}`, 2 `[`, 3 `]`, 4 a leaf,
// 5 null, and 8 + path for each key (its path names parent and key). Shape k ≥ 1 keeps its
// sequence (pointer, length, hash) for comparison.

export const OPEN_OBJ = 0;
export const CLOSE_OBJ = 1;
export const OPEN_ARR = 2;
export const CLOSE_ARR = 3;
export const LEAF = 4;
export const NULL = 5;
export const KEY = 8;

/** The current line's sequence. */
let ops: usize = 0;
let opsCap: i32 = 0;
let nOps: i32 = 0;
let shapes: usize = 0;
let shapeCap: i32 = 0;
let nShapes: i32 = 0;
let shapeSlots: usize = 0;
let shapeSlotCap: i32 = 0;
/** Per row its shape (i32). */
let rowShapes: usize = 0;
let rowShapeCap: i32 = 0;

/** Prepares the shapes of an empty part. */
export function initShapes(): void {
  rehashShapes(64);
}

/** Begins a line's sequence. */
export function startShape(): void {
  nOps = 0;
}

/** Writes the shapes' globals at `s`; returns where the next module's go. */
export function saveShapes(s: usize): usize {
  store<i64>(s, <i64>shapes);
  store<i64>(s + 8, shapeCap);
  store<i64>(s + 16, nShapes);
  store<i64>(s + 24, <i64>shapeSlots);
  store<i64>(s + 32, shapeSlotCap);
  store<i64>(s + 40, <i64>rowShapes);
  store<i64>(s + 48, rowShapeCap);
  return s + 56;
}

/** Takes what {@link saveShapes} wrote at `s`; returns where the next module's are. */
export function loadShapes(s: usize): usize {
  shapes = <usize>load<i64>(s);
  shapeCap = <i32>load<i64>(s + 8);
  nShapes = <i32>load<i64>(s + 16);
  shapeSlots = <usize>load<i64>(s + 24);
  shapeSlotCap = <i32>load<i64>(s + 32);
  rowShapes = <usize>load<i64>(s + 40);
  rowShapeCap = <i32>load<i64>(s + 48);
  ops = 0;
  opsCap = nOps = 0;
  return s + 56;
}

export function op(o: i32): void {
  if (nOps == opsCap) {
    const cap = opsCap == 0 ? 256 : opsCap * 2;
    ops = grown(ops, opsCap * 4, cap * 4);
    opsCap = cap;
  }
  store<i32>(ops + <usize>nOps * 4, o);
  nOps++;
}

function shapeAt(id: i32): usize {
  return shapes + <usize>id * 12;
}

function rehashShapes(cap: i32): void {
  shapeSlots = alloc(cap * 4);
  memory.fill(shapeSlots, 0, <usize>cap * 4);
  shapeSlotCap = cap;
  for (let id = 1; id <= nShapes; id++) {
    let i = load<u32>(shapeAt(id) + 8) & (<u32>(cap - 1));
    while (load<i32>(shapeSlots + <usize>i * 4) != 0) i = (i + 1) & (<u32>(cap - 1));
    store<i32>(shapeSlots + <usize>i * 4, id);
  }
}

/** The id of the shape in `ops`, added on first sight. */
export function shapeOf(): i32 {
  const bytes = nOps * 4;
  const h = hashBytes(ops, bytes);
  const mask = <u32>(shapeSlotCap - 1);
  let i = h & mask;
  while (true) {
    const id = load<i32>(shapeSlots + <usize>i * 4);
    if (id == 0) break;
    const s = shapeAt(id);
    if (
      load<u32>(s + 8) == h &&
      load<i32>(s + 4) == bytes &&
      bytesEqual(<usize>load<i32>(s), ops, bytes)
    )
      return id;
    i = (i + 1) & mask;
  }
  const id = ++nShapes;
  if (id >= shapeCap) {
    const cap = shapeCap == 0 ? 64 : shapeCap * 2;
    shapes = grown(shapes, shapeCap * 12, cap * 12);
    shapeCap = cap;
  }
  const s = shapeAt(id);
  store<i32>(s, <i32>keep(ops, bytes));
  store<i32>(s + 4, bytes);
  store<u32>(s + 8, h);
  store<i32>(shapeSlots + <usize>i * 4, id);
  if (nShapes * 2 > shapeSlotCap) rehashShapes(shapeSlotCap * 2);
  return id;
}

export function setRowShape(r: i32, id: i32): void {
  if (r >= rowShapeCap) {
    let cap = rowShapeCap == 0 ? 1024 : rowShapeCap * 2;
    while (cap <= r) cap *= 2;
    rowShapes = grown(rowShapes, rowShapeCap * 4, cap * 4);
    memory.fill(rowShapes + <usize>rowShapeCap * 4, 0, <usize>(cap - rowShapeCap) * 4);
    rowShapeCap = cap;
  }
  store<i32>(rowShapes + <usize>r * 4, id);
}

export function shapeCount(): i32 {
  return nShapes;
}
export function rowShape(r: i32): i32 {
  return r < rowShapeCap ? load<i32>(rowShapes + <usize>r * 4) : 0;
}
/** Shape `id`'s sequence: {@link shapeOpsLength} i32 values (see above). */
export function shapeOps(id: i32): usize {
  return <usize>load<i32>(shapeAt(id));
}
export function shapeOpsLength(id: i32): i32 {
  return load<i32>(shapeAt(id) + 4) / 4;
}
