/**
 * @module
 * The journald input: runs `journalctl --output=json --follow` and hands each entry to the sink
 * as a record (`entry.ts`).
 *
 * - **Checkpoint.** The cursor of the last entry the sink accepted is the input's position; every
 *   second, after the sink's fdatasync, it is saved (`cursor-file.ts`). journalctl is started
 *   with `--after-cursor=<cursor>`, after a restart of the agent and after journalctl exited
 *   alike, so entries are neither skipped nor read twice (beyond those accepted and not yet saved
 *   when the agent is killed; they get the same ids again).
 * - **First start** (no cursor): `read_from: head` reads the whole journal (`--lines=all`, or
 *   from `since`); `read_from: tail` asks for the last entry (`--lines=1`) and takes only its
 *   cursor, so what is written from then on is read — also across a journalctl restart before
 *   the first new entry.
 * - **Back-pressure.** stdout is read one chunk at a time and the next is read only once the
 *   sink took the records of the last; a full buffer fills the pipe and journalctl waits.
 * - **Failures.** journalctl that cannot be run (not installed, not executable) or finds no
 *   journal is reported once, with a warning and `vigil_agent_journald_unavailable`, and tried
 *   again quietly at the longest backoff. journalctl that exits otherwise is restarted with
 *   exponential backoff (reset once it has run for longer than the longest backoff) and counted
 *   in `vigil_agent_journald_restarts_total`.
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../../lib/log/logger.js';
import type { AgentMetrics } from '../../metrics.js';
import { backoffMs, sleep } from '../../outputs/backoff.js';
import type { ParseCounts } from '../../parsers/parser.js';
import { SinkClosedError, type AgentRecord, type Input, type RecordSink } from '../../stage.js';
import type { CursorFile } from './cursor-file.js';
import { MessageLifter, type MessageCounts, type MessageParser } from '../../parsers/message.js';
import { parseEntry, type EntryOptions } from './entry.js';

export interface JournaldOptions {
  name: string;
  /** The journalctl executable: a path, or a name looked up in $PATH. */
  journalctl: string;
  /** Read a journal directory (`--directory`) instead of the system journal; '' for none. */
  directory: string;
  readFrom: 'head' | 'tail';
  /** `--since` for the first start: `2024-05-06 07:00:00`, `-1h`, `today`; '' for none. */
  since: string;
  /** Units to read (`--unit`); empty for all. */
  units: readonly string[];
  /** journalctl matches, `FIELD=value`; empty for all. */
  matches: readonly string[];
  /**
   * Where journald keeps the system journal (`/run/log/journal`, `/var/log/journal`); with no
   * `directory`, no journal files there means no journald on this host, which is reported
   * (journalctl itself waits silently for files to appear).
   */
  systemJournalDirs: readonly string[];
  /** Longest message; longer ones are cut and counted. */
  maxLineBytes: number;
  /** logfmt and regex parsers tried, in order, on each `MESSAGE`. */
  messageParsers?: readonly MessageParser[];
  node: string;
  cursor: CursorFile;
  minRestartMs: number;
  maxRestartMs: number;
  metrics: AgentMetrics;
  log: Logger;
}

/** How often the cursor is saved: the most a crash makes the agent read again. */
const SAVE_INTERVAL_MS = 1000;

/** Bytes of stderr kept for the log line when journalctl exits. */
const STDERR_KEPT = 4096;

/** journalctl's words when there is no journal to read (no journald on this host). */
const NO_JOURNAL =
  /No journal files were found|No such boot ID in journal|No such file or directory|Permission denied/i;

/** How one run of journalctl ended. */
type RunEnd =
  | { kind: 'stopped' }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'exited'; code: number | null; signal: string | null; stderr: string };

export class JournaldInput implements Input {
  readonly name: string;
  readonly #o: JournaldOptions;
  readonly #counts: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  readonly #reported: ParseCounts = { truncated: 0, invalidUtf8: 0, malformed: 0 };
  readonly #entry: EntryOptions;
  readonly #lifter: MessageLifter | null;
  readonly #liftReported: MessageCounts = { unparsed: 0, badTime: 0 };
  readonly #abort = new AbortController();
  /** Cursor of the last entry the sink accepted. */
  #cursor: string | null;
  /** `read_from: tail` and no cursor yet: the next entry read only sets the cursor. */
  #baseline: boolean;
  #sink: RecordSink | null = null;
  #child: ChildProcessWithoutNullStreams | null = null;
  #stopping = false;
  #unavailable = false;
  #loop: Promise<void> | null = null;
  #saveTimer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: JournaldOptions) {
    this.name = options.name;
    this.#o = options;
    this.#cursor = options.cursor.cursor;
    this.#baseline = this.#cursor === null && options.readFrom === 'tail';
    const parsers = options.messageParsers ?? [];
    this.#lifter = parsers.length === 0 ? null : new MessageLifter(parsers);
    this.#entry = {
      node: options.node,
      maxMessageBytes: options.maxLineBytes,
      counts: this.#counts,
      lift: this.#lifter,
    };
    options.metrics.journaldUnavailable.labels(options.name).set(0);
    options.metrics.journaldRestarts.labels(options.name).inc(0);
  }

  async start(sink: RecordSink): Promise<void> {
    this.#sink = sink;
    this.#loop = this.#run().catch((err: unknown) => {
      if (this.#stopping && err instanceof SinkClosedError) return;
      this.#o.log.error('journald input stopped', { input: this.name, err });
    });
    this.#saveTimer = setInterval(() => void this.#save(), SAVE_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort(new Error('journald input stopping'));
    if (this.#saveTimer !== null) clearInterval(this.#saveTimer);
    this.#child?.kill('SIGTERM');
    await this.#loop;
    await this.#save();
  }

  /** The arguments journalctl is started with now. */
  args(): string[] {
    const o = this.#o;
    const args = ['--output=json', '--follow', '--all', '--no-pager'];
    if (o.directory !== '') args.push(`--directory=${o.directory}`);
    if (this.#cursor !== null) args.push(`--after-cursor=${this.#cursor}`);
    else if (this.#baseline) args.push('--lines=1');
    else {
      args.push('--lines=all');
      if (o.since !== '') args.push(`--since=${o.since}`);
    }
    for (const unit of o.units) args.push(`--unit=${unit}`);
    args.push(...o.matches);
    return args;
  }

  async #run(): Promise<void> {
    const retry = {
      maxRetries: 0,
      minBackoffMs: this.#o.minRestartMs,
      maxBackoffMs: this.#o.maxRestartMs,
    };
    let attempt = 0;
    while (!this.#stopping) {
      const startedAt = Date.now();
      const end = await this.#runOnce();
      if (end.kind === 'stopped' || this.#stopping) return;
      let wait: number;
      if (end.kind === 'unavailable') {
        this.#reportUnavailable(end.reason);
        wait = this.#o.maxRestartMs;
      } else {
        if (Date.now() - startedAt > this.#o.maxRestartMs) attempt = 0;
        attempt++;
        wait = backoffMs(attempt, retry);
        this.#o.metrics.journaldRestarts.labels(this.name).inc();
        this.#o.log.warn('journalctl exited, restarting it', {
          input: this.name,
          code: end.code,
          signal: end.signal,
          stderr: end.stderr.trim(),
          restart_in_ms: wait,
        });
      }
      await sleep(wait, this.#abort.signal).catch(() => undefined);
    }
  }

  #reportUnavailable(reason: string): void {
    if (this.#unavailable) {
      this.#o.log.debug('journal still unavailable', { input: this.name, reason });
      return;
    }
    this.#unavailable = true;
    this.#o.metrics.journaldUnavailable.labels(this.name).set(1);
    this.#o.log.warn('cannot read the journal; trying again quietly', {
      input: this.name,
      journalctl: this.#o.journalctl,
      reason,
      retry_every_ms: this.#o.maxRestartMs,
    });
  }

  #available(): void {
    if (!this.#unavailable) return;
    this.#unavailable = false;
    this.#o.metrics.journaldUnavailable.labels(this.name).set(0);
    this.#o.log.info('reading the journal', { input: this.name });
  }

  /** Runs journalctl once, reading its entries until it exits or the input stops. */
  async #runOnce(): Promise<RunEnd> {
    const args = this.args();
    this.#o.log.debug('starting journalctl', { input: this.name, args: args.join(' ') });
    if (this.#o.directory === '' && !hasJournalFiles(this.#o.systemJournalDirs)) {
      this.#reportUnavailable(`no journal files in ${this.#o.systemJournalDirs.join(' or ')}`);
    }
    const child = spawn(this.#o.journalctl, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child as unknown as ChildProcessWithoutNullStreams;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_KEPT);
      if (NO_JOURNAL.test(s)) this.#reportUnavailable(s.trim());
    });
    const exited = new Promise<{ err?: Error; code: number | null; signal: string | null }>(
      (resolve) => {
        child.once('error', (err) => resolve({ err, code: null, signal: null }));
        child.once('close', (code, signal) => resolve({ code, signal }));
      },
    );
    const read = await this.#read(child).finally(() => {
      // The sink closed, or the input stops: journalctl has nothing more to do.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      this.#child = null;
    });
    const end = await exited;
    if (this.#stopping) return { kind: 'stopped' };
    if (end.err !== undefined) {
      const code = (end.err as NodeJS.ErrnoException).code;
      return {
        kind: 'unavailable',
        reason: `cannot run ${this.#o.journalctl}: ${code ?? end.err.message}`,
      };
    }
    if (read === 0 && end.code !== 0 && NO_JOURNAL.test(stderr)) {
      return { kind: 'unavailable', reason: stderr.trim() };
    }
    return { kind: 'exited', code: end.code, signal: end.signal, stderr };
  }

  /** Reads journalctl's stdout to its end; returns the entries read. */
  async #read(child: ReturnType<typeof spawn>): Promise<number> {
    const maxPending = Math.max(4 << 20, this.#o.maxLineBytes * 6);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    let read = 0;
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      if (this.#stopping) break;
      const records: AgentRecord[] = [];
      let cursor: string | null = null;
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        let line: Buffer = chunk.subarray(start, nl);
        start = nl + 1;
        if (pendingBytes > 0) {
          line = Buffer.concat([...pending, line]);
          pending = [];
          pendingBytes = 0;
        }
        if (skipping) {
          skipping = false;
          continue;
        }
        if (line.length === 0) continue;
        const entry = parseEntry(line.toString('utf8'), this.#entry);
        if (entry === null) continue;
        read++;
        cursor = entry.cursor;
        if (this.#baseline) {
          this.#baseline = false;
          continue;
        }
        records.push(entry.record);
      }
      if (start < chunk.length && !skipping) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > maxPending) {
          this.#o.log.warn('journal entry too long, skipped', {
            input: this.name,
            bytes: pendingBytes,
          });
          this.#counts.malformed++;
          pending = [];
          pendingBytes = 0;
          skipping = true;
        }
      }
      if (cursor === null) continue;
      this.#available();
      if (records.length > 0) await this.#sink!.append(records);
      this.#cursor = cursor;
      this.#o.metrics.linesRead.labels(this.name).inc(records.length);
      this.#report();
    }
    return read;
  }

  #report(): void {
    const m = this.#o.metrics;
    const c = this.#counts;
    const r = this.#reported;
    m.linesTruncated.labels(this.name).inc(c.truncated - r.truncated);
    m.linesInvalidUtf8.labels(this.name).inc(c.invalidUtf8 - r.invalidUtf8);
    m.linesMalformed.labels(this.name).inc(c.malformed - r.malformed);
    Object.assign(r, c);
    if (this.#lifter !== null) {
      const lc = this.#lifter.counts;
      const lr = this.#liftReported;
      m.linesUnparsed.labels(this.name).inc(lc.unparsed - lr.unparsed);
      m.timesInvalid.labels(this.name).inc(lc.badTime - lr.badTime);
      Object.assign(lr, lc);
    }
  }

  /** Saves the cursor once every buffer holds, on disk, the entries before it. */
  #save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      const cursor = this.#cursor;
      if (cursor === null || cursor === this.#o.cursor.cursor) return;
      try {
        await this.#sink?.sync();
        this.#o.cursor.save(cursor);
      } catch (err) {
        this.#o.log.error('cannot save the journal cursor', { input: this.name, err });
      }
    });
    return this.#saving;
  }
}

/** Whether `dirs` or their subdirectories (one per machine id) hold a journal file. */
function hasJournalFiles(dirs: readonly string[]): boolean {
  const isJournal = (name: string) => name.endsWith('.journal') || name.endsWith('.journal~');
  for (const dir of dirs) {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && isJournal(e.name)) return true;
      if (!e.isDirectory()) continue;
      try {
        if (readdirSync(join(dir, e.name)).some(isJournal)) return true;
      } catch {
        // Unreadable: journalctl will say so.
      }
    }
  }
  return false;
}
