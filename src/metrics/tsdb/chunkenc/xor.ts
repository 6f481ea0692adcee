/**
 * @module
 * The XOR chunk: Prometheus' float sample encoding (`EncXOR`), byte for byte, so our blocks are
 * readable by Prometheus and promtool and theirs by us. The bit layout is described in
 * `xor-appender.ts` and in Prometheus' `tsdb/docs/format/chunks.md`.
 */

import { BitWriter } from './bstream.js';
import { ChunkDecodeError } from './chunk.js';
import { XorAppender } from './xor-appender.js';
import { XorIterator } from './xor-iterator.js';

export { XorAppender, XorIterator };

/**
 * The encoding byte of XOR chunks in chunk files (Prometheus' `EncXOR`).
 *
 * @example
 * if (encoding === ENCODING_XOR) chunk = new XorChunk(data);
 */
export const ENCODING_XOR = 1;

/**
 * Samples encoded as one XOR chunk: either a new chunk that owns a growing buffer, or a view of
 * encoded bytes (e.g. read from a block), which is copied only if appended to.
 */
export class XorChunk {
  // Exactly one is set: #w once the chunk owns its bytes, #view while it wraps someone else's.
  #w: BitWriter | null = null;
  #view: Uint8Array | null = null;

  /**
   * @param bytes encoded chunk data (the 2-byte header and the samples, without the chunk
   *   file's length, encoding byte and CRC); omit for a new empty chunk. Not copied: it must not
   *   change while the chunk uses it.
   * @throws {ChunkDecodeError} if `bytes` is shorter than the header.
   * @example
   * const chunk = new XorChunk();
   * chunk.appender().append(1_700_000_000_000, 42);
   * const same = new XorChunk(chunk.bytes());
   */
  constructor(bytes?: Uint8Array) {
    if (bytes === undefined) {
      this.#w = new BitWriter();
      this.#w.writeBits(0, 16);
    } else if (bytes.length < 2) {
      throw new ChunkDecodeError('XOR', 0, 0, `header needs 2 bytes, got ${bytes.length}`);
    } else {
      this.#view = bytes;
    }
  }

  /**
   * Number of samples, from the header.
   *
   * @example
   * if (chunk.numSamples >= MAX_SAMPLES_PER_CHUNK) cut();
   */
  get numSamples(): number {
    if (this.#w !== null) return this.#w.getUint16(0);
    const b = this.#view!;
    return (b[0]! << 8) | b[1]!;
  }

  /**
   * The encoded bytes (header and samples, the last byte zero-padded): what a chunk file stores
   * after the encoding byte. A view, valid until the next append, possibly into a buffer shared
   * with other chunks: use its own offset and length, never its whole `.buffer`.
   *
   * @example
   * writer.chunk(ENCODING_XOR, chunk.bytes());
   */
  bytes(): Uint8Array {
    return this.#w !== null ? this.#w.bytes() : this.#view!;
  }

  /**
   * An appender continuing after the last sample. For a chunk with samples it decodes them all to
   * restore the encoder's state, as Prometheus does; a wrapped chunk is first copied into a buffer
   * of its own, so the caller's bytes are never written. Use one appender per chunk at a time.
   *
   * @throws {ChunkDecodeError} if the existing samples do not decode.
   * @example
   * const app = chunk.appender();
   * app.append(t, v);
   */
  appender(): XorAppender {
    if (this.numSamples === 0) {
      if (this.#w === null) {
        this.#w = BitWriter.resume(this.#view!, 16);
        this.#view = null;
      }
      return new XorAppender(this.#w);
    }
    const it = this.iterator();
    while (it.next());
    const err = it.err();
    if (err !== null) throw err;
    const state = it.resumeState();
    if (this.#w === null) {
      // Resuming at the exact end bit (Prometheus restarts at the next byte boundary, which only
      // works for chunks it never wrapped) keeps the bits contiguous for readers.
      this.#w = BitWriter.resume(this.#view!, state.bitLength);
      this.#view = null;
    }
    return new XorAppender(this.#w, state);
  }

  /**
   * An iterator over the samples present now; pass a previous iterator to reuse it.
   *
   * @example
   * let it: XorIterator | undefined;
   * for (const c of chunks) for (it = c.iterator(it); it.next(); ) use(it.atT(), it.atV());
   */
  iterator(reuse?: XorIterator): XorIterator {
    if (reuse === undefined) return new XorIterator(this.bytes());
    reuse.reset(this.bytes());
    return reuse;
  }
}
