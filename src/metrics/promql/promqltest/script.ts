/**
 * @module
 * Parses PromQL test scripts (the language of Prometheus' `promqltest`) into commands:
 *
 * ```
 * load 5m
 *     http_requests{job="api"} 0+10x10
 * eval instant at 50m sum(http_requests)
 *     expect no_warn
 *     {} 100
 * eval range from 0 to 10m step 5m http_requests
 *     http_requests{job="api"} 0 10 20
 * eval_fail instant at 0 foo +
 * clear
 * ```
 *
 * Commands are separated by blank lines; `#` starts a comment line. Supported: `load`, `clear`,
 * `eval instant at`, `eval range from … to … step`, the `eval_fail`/`eval_ordered`/`eval_warn`/
 * `eval_info` forms, `expect fail|ordered|warn|no_warn|info|no_info [msg|regex: …]`,
 * `expected_fail_message`/`expected_fail_regexp`, `expect range vector from … to … step …`
 * and `expect string "…"`. Times are durations from the Unix epoch.
 */

import { parseDuration } from '../parser/duration.js';
import { parseSeriesDesc, parseTestNumber, type SeriesDesc } from './series-desc.js';

export type ExpectKind = 'fail' | 'ordered' | 'warn' | 'no_warn' | 'info' | 'no_info';

export interface Expectation {
  readonly kind: ExpectKind;
  /** Exact text (`msg:`), a pattern (`regex:`), or neither. */
  readonly message?: string;
  readonly regex?: RegExp;
}

export interface LoadCommand {
  readonly type: 'load';
  readonly line: number;
  readonly interval: number;
  readonly series: SeriesDesc[];
}

export interface EvalCommand {
  readonly type: 'eval';
  readonly line: number;
  readonly expr: string;
  /** Instant queries: start === end and step 0. */
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly expects: Expectation[];
  /** Expected series (values per step for ranges, one value for instant vectors). */
  readonly series: SeriesDesc[];
  /** An expected scalar result. */
  scalar: number | null;
  /** An expected string result. */
  string: string | null;
  /** For an instant query returning a range vector: the timestamps the values map to. */
  matrixGrid: { start: number; step: number; end: number } | null;
}

export interface ClearCommand {
  readonly type: 'clear';
  readonly line: number;
}

export type Command = LoadCommand | EvalCommand | ClearCommand;

/**
 * A script error, with the 1-based line it is on.
 *
 * @example
 * new ScriptError(3, 'invalid command "x"').message; // 'line 3: invalid command "x"'
 */
export class ScriptError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ScriptError';
  }
}

const EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const EVAL_RANGE =
  /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;

/**
 * Parses a whole script.
 *
 * @throws {ScriptError} on the first malformed command.
 * @example
 * parseScript('load 1m\n  up 1 2\n\neval instant at 1m up\n  up 2').length; // 2
 */
export function parseScript(text: string): Command[] {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: Command[] = [];
  let i = 0;
  const block = (): string[] => {
    const out: string[] = [];
    while (i + 1 < lines.length && lines[i + 1] !== '') out.push(lines[++i]!);
    return out;
  };
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const line = i + 1;
    const word = l.split(/\s+/)[0]!.toLowerCase();
    try {
      if (word === 'clear') cmds.push({ type: 'clear', line });
      else if (word.startsWith('load')) cmds.push(parseLoad(l, line, block()));
      else if (word.startsWith('eval')) cmds.push(parseEval(l, line, block()));
      else throw new Error(`invalid command ${JSON.stringify(l)}`);
    } catch (err) {
      if (err instanceof ScriptError) throw err;
      throw new ScriptError(line, (err as Error).message);
    }
  }
  return cmds;
}

function parseLoad(l: string, line: number, body: string[]): LoadCommand {
  const m = /^load\s+(\S+)$/.exec(l);
  if (m === null) throw new Error('invalid load command (load <step:duration>)');
  return { type: 'load', line, interval: parseDuration(m[1]!), series: body.map(parseSeriesDesc) };
}

function parseEval(l: string, line: number, body: string[]): EvalCommand {
  const inst = EVAL_INSTANT.exec(l);
  const range = inst === null ? EVAL_RANGE.exec(l) : null;
  if (inst === null && range === null)
    throw new Error(`invalid evaluation command ${JSON.stringify(l)}`);
  const expects: Expectation[] = [];
  let cmd: EvalCommand;
  if (inst !== null) {
    const t = parseDuration(inst[2] ?? '0');
    cmd = mk(line, inst[3]!, t, t, 0, expects);
    legacyModifier(inst[1], expects);
  } else {
    const start = parseDuration(range![2]!);
    const end = parseDuration(range![3]!);
    if (end < start) throw new Error('end timestamp is before start timestamp');
    cmd = mk(line, range![5]!, start, end, parseDuration(range![4]!), expects);
    legacyModifier(range![1], expects);
  }
  for (const def of body) {
    if (def.startsWith('expected_fail_message')) {
      expects.push({ kind: 'fail', message: def.slice('expected_fail_message'.length).trim() });
      continue;
    }
    if (def.startsWith('expected_fail_regexp')) {
      expects.push({
        kind: 'fail',
        regex: new RegExp(def.slice('expected_fail_regexp'.length).trim()),
      });
      continue;
    }
    const r = EXPECT_RANGE.exec(def);
    if (r !== null) {
      cmd.matrixGrid = {
        start: parseDuration(r[1]!),
        end: parseDuration(r[2]!),
        step: parseDuration(r[3]!),
      };
      continue;
    }
    if (def.startsWith('expect string')) {
      cmd.string = JSON.parse(def.slice('expect string'.length).trim()) as string;
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      const e = EXPECT.exec(def);
      if (e === null) throw new Error(`invalid expect line ${JSON.stringify(def)}`);
      const text = e[3]?.trim();
      expects.push({
        kind: e[1] as ExpectKind,
        ...(e[2] === 'msg'
          ? { message: text }
          : e[2] === 'regex'
            ? { regex: new RegExp(text!) }
            : {}),
      });
      continue;
    }
    const n = parseTestNumber(def);
    if (n !== null) {
      cmd.scalar = n;
      continue;
    }
    if (def.startsWith('"')) {
      cmd.string = JSON.parse(def) as string;
      continue;
    }
    const s = parseSeriesDesc(def);
    if (s.values.length > 1 && cmd.start === cmd.end && cmd.step === 0 && cmd.matrixGrid === null) {
      throw new Error('multiple values in an instant evaluation need "expect range vector"');
    }
    cmd.series.push(s);
  }
  return cmd;
}

function mk(
  line: number,
  expr: string,
  start: number,
  end: number,
  step: number,
  expects: Expectation[],
): EvalCommand {
  return {
    type: 'eval',
    line,
    expr,
    start,
    end,
    step,
    expects,
    series: [],
    scalar: null,
    string: null,
    matrixGrid: null,
  };
}

function legacyModifier(mod: string | undefined, expects: Expectation[]): void {
  if (mod !== undefined) expects.push({ kind: mod as ExpectKind });
}
