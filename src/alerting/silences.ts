/**
 * @module
 * Silences: sets of matchers that mute the alerts they match between `startsAt` and `endsAt`.
 * Kept in `<dir>/silences.json`, rewritten atomically on every change before the change is
 * acknowledged, so a silence survives a crash once the API has answered. Updating a silence in
 * place is allowed only where Alertmanager allows it (same matchers; an active silence keeps its
 * start and cannot end in the past); otherwise the old one expires and a new id is created.
 * Expired silences are forgotten after `retention`.
 */

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../lib/clock/clock.js';
import { writeFileAtomic } from '../lib/fs/fsync.js';
import { fingerprint, isLabelName, type LabelSet } from './model/labels.js';
import { Matcher, matchesAll, type MatchType } from './model/matchers.js';
import type { Marker } from './marker.js';

export type SilenceState = 'active' | 'pending' | 'expired';

export interface Silence {
  id: string;
  matchers: Matcher[];
  /** ms since the epoch. */
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
}

/** What {@link Silences.set} takes: a silence without id creates one. */
export type SilenceInput = Omit<Silence, 'id' | 'updatedAt'> & { id?: string | undefined };

/** Thrown for an id that is not stored. */
export class SilenceNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`silence ${id} not found`);
    this.name = 'SilenceNotFoundError';
  }
}

/** Thrown for a silence that cannot be stored as given. */
export class InvalidSilenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSilenceError';
  }
}

/** Alertmanager's `--data.retention` default: how long expired silences stay queryable. */
export const DEFAULT_RETENTION_MS = 120 * 3600_000;

const FILE = 'silences.json';

/** A silence's state at `now`. */
export function silenceState(s: Silence, now: number): SilenceState {
  if (s.endsAt <= now) return 'expired';
  return s.startsAt > now ? 'pending' : 'active';
}

interface StoredMatcher {
  type: MatchType;
  name: string;
  value: string;
}

export class Silences {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #retention: number;
  readonly #marker: Marker | undefined;
  readonly #silences = new Map<string, Silence>();

  private constructor(dir: string, clock: Clock, retention: number, marker?: Marker) {
    this.#dir = dir;
    this.#clock = clock;
    this.#retention = retention;
    this.#marker = marker;
  }

  /**
   * Opens (or creates) the silence file in `dir`.
   *
   * @throws when the file exists but cannot be read or parsed, naming it.
   * @example
   * const silences = Silences.open({ dir: join(storage, 'alertmanager'), clock: systemClock });
   */
  static open(options: {
    dir: string;
    clock: Clock;
    retention?: number;
    marker?: Marker;
  }): Silences {
    mkdirSync(options.dir, { recursive: true });
    const s = new Silences(
      options.dir,
      options.clock,
      options.retention ?? DEFAULT_RETENTION_MS,
      options.marker,
    );
    const path = join(options.dir, FILE);
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read silences ${path}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (text !== undefined) {
      try {
        const stored = JSON.parse(text) as (Omit<Silence, 'matchers'> & {
          matchers: StoredMatcher[];
        })[];
        for (const r of stored) {
          const matchers = r.matchers.map((m) => new Matcher(m.type, m.name, m.value));
          s.#silences.set(r.id, { ...r, matchers });
        }
      } catch (err) {
        throw new Error(`cannot parse silences ${path}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    return s;
  }

  #persist(): void {
    const out = [...this.#silences.values()].map((s) => ({
      ...s,
      matchers: s.matchers.map((m) => ({ type: m.type, name: m.name, value: m.value })),
    }));
    writeFileAtomic(this.#dir, FILE, JSON.stringify(out));
  }

  /**
   * Creates or updates a silence; returns its id (a new one when it could not be updated in place).
   *
   * @throws {SilenceNotFoundError} when `input.id` is given but unknown.
   * @throws {InvalidSilenceError} for no matchers, a bad label name, or ends before it starts.
   * @example
   * const id = silences.set({ matchers: [new Matcher('=', 'alertname', 'Down')], startsAt: now, endsAt: now + 3600_000, createdBy: 'me', comment: 'deploy' });
   */
  set(input: SilenceInput): string {
    validate(input);
    const now = this.#clock.now();
    const prev =
      input.id === undefined || input.id === '' ? undefined : this.#silences.get(input.id);
    if (input.id !== undefined && input.id !== '' && prev === undefined) {
      throw new SilenceNotFoundError(input.id);
    }
    if (prev !== undefined) {
      if (canUpdate(prev, input, now)) {
        this.#silences.set(prev.id, { ...input, id: prev.id, updatedAt: now });
        this.#persist();
        return prev.id;
      }
      if (silenceState(prev, now) !== 'expired') this.#expire(prev, now);
    }
    const id = randomUUID();
    this.#silences.set(id, {
      ...input,
      id,
      startsAt: Math.max(input.startsAt, now),
      updatedAt: now,
    });
    this.#persist();
    return id;
  }

  /**
   * Ends a silence now.
   *
   * @throws {SilenceNotFoundError} for an unknown id; an Error when it has already expired.
   */
  expire(id: string): void {
    const s = this.#silences.get(id);
    if (s === undefined) throw new SilenceNotFoundError(id);
    const now = this.#clock.now();
    if (silenceState(s, now) === 'expired') throw new Error(`silence ${id} already expired`);
    this.#expire(s, now);
    this.#persist();
  }

  #expire(s: Silence, now: number): void {
    const pending = silenceState(s, now) === 'pending';
    this.#silences.set(s.id, {
      ...s,
      startsAt: pending ? now : s.startsAt,
      endsAt: now,
      updatedAt: now,
    });
  }

  get(id: string): Silence | undefined {
    return this.#silences.get(id);
  }

  list(): Silence[] {
    return [...this.#silences.values()];
  }

  /** The ids of the active silences matching `labels`, recorded in the marker. */
  mutedBy(labels: LabelSet): string[] {
    const now = this.#clock.now();
    const ids: string[] = [];
    for (const s of this.#silences.values()) {
      if (silenceState(s, now) === 'active' && matchesAll(s.matchers, labels)) ids.push(s.id);
    }
    ids.sort();
    this.#marker?.setSilenced(fingerprint(labels), ids);
    return ids;
  }

  /** Forgets silences expired for longer than the retention; returns how many. */
  gc(): number {
    const cutoff = this.#clock.now() - this.#retention;
    let n = 0;
    for (const [id, s] of this.#silences) {
      if (s.endsAt < cutoff) {
        this.#silences.delete(id);
        n++;
      }
    }
    if (n > 0) this.#persist();
    return n;
  }
}

function validate(s: SilenceInput): void {
  if (s.matchers.length === 0) throw new InvalidSilenceError('at least one matcher required');
  for (const m of s.matchers) {
    if (!isLabelName(m.name)) throw new InvalidSilenceError(`invalid label name "${m.name}"`);
  }
  if (s.matchers.every((m) => m.matches({}))) {
    throw new InvalidSilenceError('at least one matcher must not match the empty string');
  }
  if (!Number.isFinite(s.startsAt) || !Number.isFinite(s.endsAt)) {
    throw new InvalidSilenceError('invalid start or end time');
  }
  if (s.endsAt < s.startsAt)
    throw new InvalidSilenceError('end time must not be before start time');
}

const sameMatchers = (a: readonly Matcher[], b: readonly Matcher[]) =>
  a.length === b.length && a.every((m, i) => String(m) === String(b[i]));

function canUpdate(prev: Silence, next: SilenceInput, now: number): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      return next.startsAt === prev.startsAt && next.endsAt >= now;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
  }
}
