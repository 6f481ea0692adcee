/**
 * @module
 * The tail input: follows the files that `include` patterns name (minus `exclude` and rotated
 * `.gz` files), from where the position database says, and hands their records to the sink.
 *
 * - **Discovery.** Every directory a pattern reaches is watched (`fs.watch`, inotify on Linux),
 *   and any event there triggers a rescan; a rescan also runs every `scanIntervalMs`, for file
 *   systems without events and for events lost to a full inotify queue.
 * - **Reading.** One loop reads every file in turn, one buffer at a time, and waits for the
 *   sink before reading on: a full buffer stops reading (back-pressure). Files are also read
 *   every `pollIntervalMs` without an event, as inotify does not report writes through some
 *   mounts.
 * - **Rotation.** A file is followed by its descriptor. When its path names another file (rename
 *   rotation) or nothing (delete), the old file is read to its end and closed once it has not
 *   grown for `rotateWaitMs`; the new file is followed from its start. A file that shrinks below
 *   the read offset was truncated in place (copytruncate) and is read again from its start.
 * - **Positions.** After the sink accepted a batch, the file's resume offset moves; every
 *   second the sink's records are fsynced and the position database saved. After a restart, a
 *   file still under its path resumes at its offset; a file renamed meanwhile (kubelet:
 *   `0.log` → `0.log.<time>`) is found in the same directory by device and inode and finished.
 * - **New files.** `readFrom: tail` starts at the end of the files present at the first start
 *   (empty position database); files found later were written while the agent ran or was
 *   down, so they are read from the start whatever `readFrom` says.
 * - **Filters.** A filter may hold a new file back until its metadata arrives (Kubernetes pods
 *   not in the cache yet): it is opened (so a rotation meanwhile loses nothing) but not read,
 *   and its parser is chosen when it is released; lines wait in the file. A file's shared
 *   fields are rebuilt when the filters' generation moves, checked once per batch; the records
 *   of a file a filter excludes are counted and dropped, and its position moves on as if they
 *   were sent.
 */

import {
  closeSync,
  fstatSync,
  openSync,
  readdirSync,
  statSync,
  watch,
  type FSWatcher,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../../../lib/log/logger.js';
import { compilePathGlob, expandGlob } from '../../../../lib/fs/path-glob.js';
import type { Filter, ParserChoice } from '../../filters/filter.js';
import type { AgentMetrics } from '../../metrics.js';
import { createParser } from '../../parsers/auto.js';
import {
  jsonMessageParser,
  MessageLifter,
  type MessageCounts,
  type MessageParser,
} from '../../parsers/message.js';
import {
  MULTILINE_RULE_NAMES,
  MultilineParser,
  type MultilineOptions,
} from '../../parsers/multiline.js';
import type { ParseCounts, ParsedLine, ParserFormat } from '../../parsers/parser.js';
import { SinkClosedError, type Input, type RecordSink } from '../../stage.js';
import { Follower } from './follower.js';
import { identityOf, readFingerprint, recordIdPrefix } from './identity.js';
import { fileJson } from './record-json.js';
import { readTime, RecordWriter } from './record-writer.js';
import type { PositionDb } from './positions.js';

export interface TailOptions {
  name: string;
  include: readonly string[];
  exclude: readonly string[];
  readFrom: 'head' | 'tail';
  format: ParserFormat;
  /** Lift the keys of JSON messages into fields. */
  json: boolean;
  /** logfmt and regex parsers tried, in order, on messages that are not JSON objects. */
  messageParsers?: readonly MessageParser[];
  /** Every message parser by name, for a filter's choice (`vigil.io/parser: <name>`). */
  namedParsers?: ReadonlyMap<string, MessageParser>;
  /** Join stack traces and other continued lines; null for none. */
  multiline: MultilineOptions | null;
  maxLineBytes: number;
  scanIntervalMs: number;
  pollIntervalMs: number;
  rotateWaitMs: number;
  /** The node's name: part of every record id, so two nodes never make the same id. */
  node: string;
  positions: PositionDb;
  filters: readonly Filter[];
  metrics: AgentMetrics;
  log: Logger;
}

/** Compressed rotated files: the runtime compresses what it has rotated, and those are read before. */
const COMPRESSED = /\.(gz|bz2|xz|zst|zip)$/;

/** Multiline flush timeout for a pod's parser annotation when the input sets none (its default). */
const DEFAULT_FLUSH_MS = 1000;

/** How often positions are saved: the most a crash makes the agent read again. */
const SAVE_INTERVAL_MS = 1000;

/**
 * Bytes of records handed to the sink at a time. A whole read's records (~750 KB for a 256 KiB
 * read: the Kubernetes fields outweigh the lines) kept a record buffer that large.
 */
const EMIT_BYTES = 192 << 10;

export class TailInput implements Input {
  readonly name: string;
  readonly #o: TailOptions;
  readonly #exclude: RegExp[];
  /** Followed files by `dev:ino`. */
  readonly #followers = new Map<string, Follower>();
  /** Paths seen that have no identity yet (empty files), by path, with their `dev:ino`. */
  readonly #waiting = new Map<string, string>();
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  readonly #reported: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  /** The input's own message parsers; a filter's choice may replace them per file. */
  readonly #lifter: MessageLifter | null;
  /** Lifters of filters' choices, by parser name; one per name, not per file. */
  readonly #chosenLifters = new Map<string, MessageLifter | null>();
  /** Names filters chose that the input has no parser by, each warned about once. */
  readonly #unknownParsers = new Set<string>();
  /** What every lifter of this input counts. */
  readonly #liftCounts: MessageCounts = { unparsed: 0, badTime: 0 };
  readonly #liftReported: MessageCounts = { unparsed: 0, badTime: 0 };
  #buf: Buffer;
  /** Writes each batch's records as bytes; one batch at a time, as the read loop is. */
  readonly #writer = new RecordWriter();
  #sink: RecordSink | null = null;
  #firstScan = true;
  /** No positions were saved before: the agent's very first start on this node. */
  readonly #firstStart: boolean;
  #scanDue = true;
  #stopping = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  #saveTimer: NodeJS.Timeout | null = null;
  #scanTimer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: TailOptions) {
    this.name = options.name;
    this.#o = options;
    this.#exclude = options.exclude.map((p) => compilePathGlob(p));
    this.#firstStart = options.positions.size === 0;
    const parsers = [
      ...(options.json ? [jsonMessageParser] : []),
      ...(options.messageParsers ?? []),
    ];
    this.#lifter = parsers.length === 0 ? null : new MessageLifter(parsers, this.#liftCounts);
    // Longer than the longest line, so a read without a newline means a line too long.
    this.#buf = Buffer.allocUnsafe(Math.max(256 * 1024, options.maxLineBytes + 1));
    const labels = [options.name];
    options.metrics.filesOpen.labels(...labels).set(0);
    options.metrics.lagBytes.labels(...labels).set(0);
  }

  /** Each followed file's bytes past its acknowledged position, for `/metrics`. */
  readonly #fileLags = (): { path: string; lag: number }[] => {
    const out: { path: string; lag: number }[] = [];
    for (const f of this.#followers.values()) {
      const acked = this.#o.positions.get(f.identity.key)?.offset ?? f.offset;
      out.push({ path: f.path, lag: Math.max(0, f.size - acked) });
    }
    return out;
  };

  async start(sink: RecordSink): Promise<void> {
    this.#sink = sink;
    this.#o.metrics.watchFileLag(this.name, this.#fileLags);
    this.#loop = this.#run().catch((err: unknown) => {
      // Closing the buffers is how a stop interrupts a read waiting for buffer space.
      if (this.#stopping && err instanceof SinkClosedError) return;
      this.#o.log.error('tail input stopped', { input: this.name, err });
    });
    this.#scanTimer = setInterval(() => this.#requestScan(), this.#o.scanIntervalMs);
    this.#saveTimer = setInterval(() => void this.#save(), SAVE_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#o.metrics.unwatchFileLag(this.name, this.#fileLags);
    this.#wake?.();
    if (this.#scanTimer !== null) clearInterval(this.#scanTimer);
    if (this.#saveTimer !== null) clearInterval(this.#saveTimer);
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    await this.#loop;
    await this.#save();
    for (const f of this.#followers.values()) f.close();
    this.#followers.clear();
  }

  #requestScan(): void {
    this.#scanDue = true;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      if (this.#scanDue) {
        this.#scanDue = false;
        await this.#scan();
      }
      for (const [path, devIno] of [...this.#waiting]) await this.#open(path, devIno, false);
      let progressed = false;
      for (const [devIno, f] of [...this.#followers]) {
        if (this.#stopping) break;
        if (await this.#readFile(devIno, f)) progressed = true;
      }
      this.#report();
      if (!progressed && !this.#stopping && !this.#scanDue) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#o.pollIntervalMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    }
  }

  /** Reads one buffer of `f`; returns whether anything was consumed. */
  async #readFile(devIno: string, f: Follower): Promise<boolean> {
    if (f.held) {
      if (this.#o.filters.some((filter) => filter.pending?.({ path: f.path }))) return false;
      f.held = false;
      this.#prepare(f);
    }
    if (f.truncated()) {
      this.#o.log.warn('file truncated, reading it again from the start', {
        input: this.name,
        path: f.path,
        offset: f.offset,
        size: f.size,
      });
      // Its content changed, so its identity did: forget the old one and find the file anew.
      this.#o.positions.delete(f.identity.key);
      f.close();
      this.#followers.delete(devIno);
      this.#requestScan();
      return true;
    }
    const parsed: ParsedLine[] = [];
    const step = await f.step(this.#buf, this.#o.maxLineBytes, parsed, this.#counts);
    if (step.bytes > 0) {
      await this.#emit(f, parsed, step.lines);
      this.#o.positions.set(f.identity.key, f.path, f.resumeOffset);
      return true;
    }
    if (f.parser.flushIdle !== undefined) {
      f.parser.flushIdle(Date.now(), parsed);
      if (parsed.length > 0) {
        await this.#emit(f, parsed, 0);
        this.#o.positions.set(f.identity.key, f.path, f.resumeOffset);
        parsed.length = 0;
      }
    }
    if (
      f.rotatedAt !== null &&
      Date.now() - Math.max(f.rotatedAt, f.lastReadAt) >= this.#o.rotateWaitMs
    ) {
      await f.finish(this.#buf, parsed);
      await this.#emit(f, parsed, parsed.length);
      this.#o.positions.delete(f.identity.key);
      f.close();
      this.#followers.delete(devIno);
      this.#o.log.debug('finished rotated file', { input: this.name, path: f.path });
    }
    return false;
  }

  async #emit(f: Follower, parsed: readonly ParsedLine[], lines: number): Promise<void> {
    const generation = this.#generation();
    if (generation !== f.generation) {
      // Metadata changed (a pod's labels arrived or changed): once per file, not per line.
      f.json = fileJson(f.path, this.#o.node, this.#o.filters);
      f.generation = generation;
    }
    if (f.json.excluded) {
      this.#o.metrics.recordsExcluded.labels(this.name).inc(parsed.length);
      this.#o.metrics.linesRead.labels(this.name).inc(lines);
      return;
    }
    const now = readTime(new Date());
    // A sink that copies (the disk buffers) lets the writer reuse its buffer: no garbage
    // buffer per batch, which V8 would free only at its next collection.
    const shared = this.#sink!.copiesRecords === true;
    for (const p of parsed) {
      this.#writer.add(f.idPrefixBytes, p, f.json, f.lift, now);
      if (this.#writer.bytes >= EMIT_BYTES) await this.#sink!.append(this.#writer.take(shared));
    }
    if (this.#writer.bytes > 0) await this.#sink!.append(this.#writer.take(shared));
    this.#o.metrics.linesRead.labels(this.name).inc(lines);
  }

  /** Gives `f` the parser, shared JSON and JSON lifting its filters choose; before its first read. */
  #prepare(f: Follower): void {
    const parserOptions = { maxMessageBytes: this.#o.maxLineBytes, counts: this.#counts };
    let parser = createParser(this.#o.format, parserOptions);
    const source = { path: f.path };
    const choice = this.#resolve(
      this.#o.filters.reduce<ParserChoice | undefined>(
        (c, filter) => filter.parser?.(source) ?? c,
        undefined,
      ),
      f.path,
    );
    const multiline =
      choice === undefined
        ? this.#o.multiline
        : choice.multiline === undefined
          ? null
          : {
              firstLine: null,
              rules: [choice.multiline],
              flushTimeoutMs: this.#o.multiline?.flushTimeoutMs ?? DEFAULT_FLUSH_MS,
            };
    if (multiline !== null) parser = new MultilineParser(parser, parserOptions, multiline);
    f.parser = parser;
    f.generation = this.#generation();
    f.json = fileJson(f.path, this.#o.node, this.#o.filters);
    f.lift = choice === undefined ? this.#lifter : this.#chosenLifter(choice);
  }

  /** `choice`, or undefined (the input's settings) when it names a parser the input lacks. */
  #resolve(choice: ParserChoice | undefined, path: string): ParserChoice | undefined {
    const name = choice?.named;
    if (name === undefined || this.#o.namedParsers?.has(name) === true) return choice;
    if (!this.#unknownParsers.has(name)) {
      this.#unknownParsers.add(name);
      this.#o.log.warn('no parser of the name a filter chose; the input’s settings are used', {
        input: this.name,
        path,
        parser: name,
        known: [
          'json',
          'text',
          ...MULTILINE_RULE_NAMES,
          ...(this.#o.namedParsers?.keys() ?? []),
        ].join(', '),
      });
    }
    return undefined;
  }

  #chosenLifter(choice: ParserChoice): MessageLifter | null {
    const name = choice.named ?? (choice.json ? 'json' : 'text');
    let lifter = this.#chosenLifters.get(name);
    if (lifter === undefined) {
      const parser =
        choice.named === undefined ? jsonMessageParser : this.#o.namedParsers!.get(name)!;
      lifter = name === 'text' ? null : new MessageLifter([parser], this.#liftCounts);
      this.#chosenLifters.set(name, lifter);
    }
    return lifter;
  }

  /** The sum of the filters' generations: changes when any filter's answers may have. */
  #generation(): number {
    let g = 0;
    for (const filter of this.#o.filters) g += filter.generation?.() ?? 0;
    return g;
  }

  #report(): void {
    const m = this.#o.metrics;
    const c = this.#counts;
    const r = this.#reported;
    m.linesTruncated.labels(this.name).inc(c.truncated - r.truncated);
    m.linesInvalidUtf8.labels(this.name).inc(c.invalidUtf8 - r.invalidUtf8);
    m.linesMalformed.labels(this.name).inc(c.malformed - r.malformed);
    Object.assign(r, c);
    const lc = this.#liftCounts;
    const lr = this.#liftReported;
    m.linesUnparsed.labels(this.name).inc(lc.unparsed - lr.unparsed);
    m.timesInvalid.labels(this.name).inc(lc.badTime - lr.badTime);
    Object.assign(lr, lc);
    let lag = 0;
    for (const f of this.#followers.values()) lag += Math.max(0, f.size - f.offset);
    m.lagBytes.labels(this.name).set(lag);
    m.filesOpen.labels(this.name).set(this.#followers.size);
  }

  /** Saves positions once every buffer holds, on disk, what they point past. */
  #save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      try {
        const snapshot = this.#o.positions.snapshot();
        if (snapshot === null) return;
        await this.#sink?.sync();
        this.#o.positions.write(snapshot);
      } catch (err) {
        this.#o.log.error('cannot save positions', { input: this.name, err });
      }
    });
    return this.#saving;
  }

  async #scan(): Promise<void> {
    const found = new Map<string, string>();
    const dirs = new Set<string>();
    for (const pattern of this.#o.include) {
      const g = expandGlob(pattern);
      for (const d of g.dirs) dirs.add(d);
      for (const path of g.files) {
        if (COMPRESSED.test(path) || this.#exclude.some((re) => re.test(path))) continue;
        const devIno = devInoOf(path);
        if (devIno !== null && !found.has(path)) found.set(path, devIno);
      }
    }
    this.#watch(dirs);
    this.#waiting.clear();
    const named = new Set(found.values());
    const now = Date.now();
    for (const [devIno, f] of this.#followers) {
      if (!named.has(devIno) && f.rotatedAt === null) f.rotatedAt = now;
    }
    for (const [path, devIno] of found) {
      if (this.#followers.has(devIno)) continue;
      await this.#open(path, devIno, false);
    }
    if (this.#firstScan) {
      this.#firstScan = false;
      await this.#recoverMoved();
    }
  }

  /**
   * Starts following `path`; `rotated` for a file found under a name no pattern matches, which
   * is then known by `logicalPath`, the name it had (its records' `log.file.path` and metadata).
   */
  async #open(
    path: string,
    devIno: string,
    rotated: boolean,
    offset?: number,
    logicalPath = path,
  ): Promise<void> {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return; // Gone between listing and opening: the next scan sees what replaced it.
    }
    // The descriptor's own identity: the path may name another file by now.
    const st = fstatSync(fd, { bigint: true });
    if (`${st.dev}:${st.ino}` !== devIno) {
      closeSync(fd);
      this.#waiting.delete(path);
      return;
    }
    const fp = await readFingerprint(fd, rotated);
    if (fp === null) {
      // Empty so far: its identity is not known until its first line is written.
      closeSync(fd);
      this.#waiting.set(path, devIno);
      return;
    }
    this.#waiting.delete(path);
    const identity = identityOf(st.dev, st.ino, fp);
    const known = this.#o.positions.get(identity.key);
    const size = Number(st.size);
    let start = offset ?? known?.offset ?? 0;
    if (
      known === undefined &&
      offset === undefined &&
      this.#firstScan &&
      this.#o.readFrom === 'tail' &&
      this.#firstStart
    ) {
      start = size;
    }
    if (start > size) start = 0; // Truncated while the agent was down.
    const f = new Follower(
      fd,
      identity,
      recordIdPrefix(this.#o.node, identity.key),
      logicalPath,
      start,
    );
    // Held by its descriptor, so a rotation while its metadata is on the way loses nothing.
    f.held = !rotated && this.#o.filters.some((filter) => filter.pending?.({ path: logicalPath }));
    if (!f.held) this.#prepare(f);
    if (rotated) f.rotatedAt = Date.now();
    this.#followers.set(devIno, f);
    this.#o.positions.set(identity.key, logicalPath, start);
    this.#o.log.debug('following file', { input: this.name, path, offset: start });
  }

  /**
   * After a restart: files in the position database that no pattern names any more were rotated
   * while the agent was down. Finds each in its old directory by device and inode (same
   * fingerprint) and finishes it; forgets the ones that are gone.
   */
  async #recoverMoved(): Promise<void> {
    const followed = new Set([...this.#followers.values()].map((f) => f.identity.key));
    for (const [key, entry] of [...this.#o.positions.entries()]) {
      if (followed.has(key)) continue;
      const [dev, ino] = key.split(':');
      const dir = dirname(entry.path);
      let moved: string | undefined;
      try {
        moved = readdirSync(dir)
          .map((n) => join(dir, n))
          .find((p) => !COMPRESSED.test(p) && devInoOf(p) === `${dev}:${ino}`);
      } catch {
        moved = undefined;
      }
      if (moved !== undefined) {
        const fd = openSync(moved, 'r');
        const fp = await readFingerprint(fd, true).finally(() => closeSync(fd));
        if (fp !== null && `${dev}:${ino}:${fp}` === key) {
          this.#o.log.info('finishing file rotated while the agent was stopped', {
            input: this.name,
            path: moved,
            was: basename(entry.path),
            offset: entry.offset,
          });
          await this.#open(moved, `${dev}:${ino}`, true, entry.offset, entry.path);
          continue;
        }
      }
      this.#o.log.warn('file in the position database is gone; its unread end, if any, is lost', {
        input: this.name,
        path: entry.path,
        offset: entry.offset,
      });
      this.#o.positions.delete(key);
      this.#o.metrics.filesLost.labels(this.name).inc();
    }
  }

  #watch(dirs: Set<string>): void {
    for (const [dir, w] of this.#watchers) {
      if (!dirs.has(dir)) {
        w.close();
        this.#watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.#watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (event) => {
          if (event === 'rename') this.#requestScan();
          else this.#wake?.();
        });
        w.on('error', () => {
          w.close();
          this.#watchers.delete(dir);
          this.#requestScan();
        });
        this.#watchers.set(dir, w);
      } catch {
        // Vanished or out of inotify watches: the periodic scan still covers it.
      }
    }
  }
}

function devInoOf(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return st.isFile() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}
