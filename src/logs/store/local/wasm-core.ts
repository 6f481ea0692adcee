/**
 * @module
 * The ingest core's WebAssembly module (`wasm/`, from its entry `part.ts`, compiled by
 * `npm run build`): its exports as `wasm-part.ts` calls them, and an instance of it on a shared
 * memory of its own or on another instance's.
 */

import { readFileSync } from 'node:fs';

/** The core's exports: `wasm/part.ts`'s exported functions and its memory. */
export interface CoreExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  init(): void;
  inputBuffer(n: number): number;
  spanBuffer(n: number): number;
  scanSpans(from: number, n: number, firstRow: number): number;
  scan(from: number, n: number, firstRow: number): number;
  lineOutcomes(): number;
  lineStarts(): number;
  lineEnds(): number;
  pathCount(): number;
  pathParent(id: number): number;
  pathKey(id: number): number;
  pathKeyLength(id: number): number;
  entryCount(id: number): number;
  entryRows(id: number): number;
  entryKinds(id: number): number;
  entryValues(id: number): number;
  valueCount(id: number): number;
  valueBytes(id: number, code: number): number;
  valueLength(id: number, code: number): number;
  shapeCount(): number;
  rowShape(row: number): number;
  pathTypes(id: number): number;
  unsureList(): number;
  unsureCount(): number;
  rowTimeMs(row: number): number;
  rowTimeNs(row: number): number;
  rowTimeCode(row: number): number;
  entryString(id: number, k: number): number;
  entryStringLength(): number;
  changedList(): number;
  expectTimes(first: number, count: number): number;
  beginBatch(): void;
  expectedNsBuffer(): number;
  changedCount(): number;
  shapeOps(id: number): number;
  shapeOpsLength(id: number): number;
  encodeColumn(id: number, rowStart: number, rowEnd: number): number;
  blockStrings(id: number, rowStart: number, rowEnd: number): number;
  blockFrom(): number;
  entriesIn(id: number, rowStart: number, rowEnd: number): number;
  indexColumn(id: number, rowStart: number, rowEnd: number, pageDocs: number): number;
  columnBloom(): number;
  pageBlooms(): number;
  frequentSection(): number;
  pageBloomLengths(): number;
  stringUnits(id: number, rowStart: number, rowEnd: number): number;
  blockStringBytes(): number;
  blockStringLength(): number;
  blockStringsAscii(): number;
  blockStringEnds(): number;
  columnBytes(): number;
  bytesBuffer(n: number): number;
  beginRow(row: number): void;
  childPath(parent: number, n: number): number;
  addString(path: number, n: number): void;
  addNumber(path: number, v: number): void;
  addBoolean(path: number, v: boolean): void;
  shapeOp(op: number): void;
  endRow(): void;
  addIds(n: number, firstRow: number): void;
  addIdBytes(row: number, n: number): void;
  idCount(): number;
  idAt(row: number): number;
  encodeIds(rowStart: number, rowEnd: number): number;
  hashIds(rowStart: number, rowEnd: number): number;
  idHashes(): number;
  saveState(): number;
  memoryEnd(): number;
  loadState(at: number): void;
}

/**
 * The part of WebAssembly's JavaScript API used here: Node has it all, but TypeScript declares
 * it only in its DOM and web worker libraries, which the server does not load.
 */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
};
/** A shared WebAssembly memory: postable to a worker, which then sees the same bytes. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}

/** Writes `s` as UTF-8 into the core's bytes buffer (`bytesBuffer`); returns its length. */
export function putUtf8(x: CoreExports, s: string): number {
  const max = 3 * s.length;
  const at = x.bytesBuffer(max);
  return Buffer.from(x.memory.buffer, at, max).write(s, 'utf8');
}

/** The string of the `n` bytes of UTF-8 at `at` of the core's memory. */
export function utf8At(x: CoreExports, at: number, n: number): string {
  return Buffer.from(x.memory.buffer, at, n).toString('utf8');
}

/** A copy of the first `n` bytes an encoder of the core wrote (`columnBytes`). */
export function outputBytes(x: CoreExports, n: number): Buffer {
  return Buffer.from(new Uint8Array(x.memory.buffer, x.columnBytes(), n));
}

/** The most memory a core may grow to, in 64 KiB pages (4 GiB; `scripts/build.mjs`). */
const MAX_PAGES = 65_536;

let compiled: WasmModule | undefined;

function core(): WasmModule {
  if (compiled === undefined) {
    const file = new URL('./wasm/part.wasm', import.meta.url);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new Error(
        `the log store's ingest core ${file.pathname} is missing: run npm run build`,
        {
          cause: err,
        },
      );
    }
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/**
 * An instance of the core on `memory` (another instance's, whose part it then reads in place),
 * or on a new shared memory.
 */
export function instantiateCore(memory?: WasmMemory): CoreExports {
  const instance = new WebAssembly.Instance(core(), {
    env: {
      memory: memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true }),
      abort: () => {
        throw new Error('the log store ingest core aborted');
      },
    },
  });
  return instance.exports as unknown as CoreExports;
}
