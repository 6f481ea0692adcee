/**
 * @module
 * The agent's stages and what flows between them: `Input → Parser → Filter → Buffer → Output`.
 *
 * Acknowledgement runs backwards, one hop at a time, and every checkpoint moves only on an ack
 * from the next stage that has taken responsibility for the records:
 *
 * - an input's position (per file: the byte offset reading resumes at) advances when every
 *   buffer has accepted the records read before it ({@link RecordBuffer.append} resolved: they are in
 *   the buffer's chunk files, handed to the OS, and fsynced before the position is saved);
 * - a buffer's read position advances when the output has acknowledged a batch
 *   ({@link RecordBuffer.ack} after {@link Output.send} resolved).
 *
 * A crash therefore re-reads or re-sends records, never skips them. Re-reading makes the same
 * records again — the same {@link AgentRecord.id}, because ids come from where a line was read —
 * so destinations that refuse an existing id (`create`) store each line once.
 */

/**
 * One log record on its way through the agent: its id and its document, already serialized.
 * Inputs serialize once, because every later stage (buffer, outputs) moves the text, and the
 * fields every record of a file shares (Kubernetes metadata, host, path) are serialized once
 * per file rather than once per line.
 */
export interface AgentRecord {
  /**
   * Deterministic document id, and the record's position: the same line read again (after a
   * crash or restart) gets the same id, a different line never does. Built from the node, the
   * file's identity and the byte offset where the record's first line starts
   * (`inputs/tail/identity.ts`); the document also carries the path and offset as `log.file.path`
   * and `log.offset`. The input's own checkpoint (where to resume reading) is kept by the input,
   * per file, and moves only once the records before it were accepted.
   */
  readonly id: string;
  /** The document as a JSON object's text: `@timestamp`, `message`, and what parsers and filters add. */
  readonly json: string;
}

/** Thrown by {@link RecordSink.append} once the sink is closed: the records were not taken. */
export class SinkClosedError extends Error {
  constructor(what: string) {
    super(`cannot append to ${what}: closed`);
    this.name = 'SinkClosedError';
  }
}

/** Takes records from an input and owns them once {@link RecordSink.append} resolves. */
export interface RecordSink {
  /**
   * Accepts a batch. Resolves once the records are safe from a crash of this process; waits
   * (back-pressure) while the buffer is full, so a caller that awaits it stops reading.
   *
   * @throws {SinkClosedError} when the sink is closed, or `signal` aborts, before or while
   *   waiting; the records were not taken.
   */
  append(records: readonly AgentRecord[], signal?: AbortSignal): Promise<void>;
  /**
   * True when {@link append} has copied whatever it keeps of the records by the time it
   * resolves (a disk buffer has written them): the input may then reuse their bytes for its
   * next batch. Otherwise an input gives every batch bytes of its own.
   */
  readonly copiesRecords?: boolean;
  /** Makes every accepted record durable (fdatasync); inputs call it before saving positions. */
  sync(): Promise<void>;
}

/** A source of records: files (`inputs/tail/`) or the systemd journal (`inputs/journald/`). */
export interface Input {
  readonly name: string;
  /** Starts reading into `sink`; resolves once running. */
  start(sink: RecordSink): Promise<void>;
  /** Stops reading, waits for the batch in flight and saves its positions. */
  stop(): Promise<void>;
}

/** A batch read from a buffer, with the position that acknowledging it moves the buffer to. */
export interface BufferBatch {
  /** Valid until the batch is acknowledged: the buffer may then reuse their bytes. */
  readonly records: readonly AgentRecord[];
  /** Opaque; pass to {@link RecordBuffer.ack} once the output has delivered every record. */
  readonly end: unknown;
}

/** Records between the pipeline and one output, in order. */
export interface RecordBuffer extends RecordSink {
  /** Bytes held and not yet acknowledged by the output. */
  readonly bytes: number;
  /**
   * The next batch after the last one read (not after the last acknowledged one): about
   * `maxRecords` records or `maxBytes` (whole appended batches, so it may be larger). Waits until at least one record is there or
   * `waitMs` passed (then the batch may be empty). Only one reader.
   */
  read(maxRecords: number, maxBytes: number, waitMs: number): Promise<BufferBatch>;
  /** Marks everything up to `end` delivered; batches must be acknowledged in the order read. */
  ack(end: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Delivers batches to one destination. */
export interface Output {
  readonly name: string;
  /**
   * Delivers a batch, retrying as configured. Resolves when every record is stored or given up
   * on for good (counted as failed, kept in the dead-letter file); rejects only when `signal`
   * aborts, with the batch not known to be delivered.
   */
  send(records: readonly AgentRecord[], signal: AbortSignal): Promise<void>;
}
