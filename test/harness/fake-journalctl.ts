/**
 * @module
 * A stand-in for `journalctl --output=json --follow` on machines without journald: a real
 * executable written into a temp directory, run by the agent as a real process over real pipes.
 * It replays a recorded journal (`journal.jsonl`, one `journalctl --output=json` line per
 * entry, appended to by the test) and follows it for new entries, honouring `--after-cursor`
 * (failing like journalctl on an unknown cursor), `--lines=N|all`, `--unit` and `FIELD=value`
 * matches. Every invocation's arguments are appended to `calls.jsonl`. A test makes it exit:
 * `exit-after` holds counts (`5,3`), one per run, of entries to print before exiting with
 * status 3.
 */

import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const home = path.dirname(__dirname);
const argv = process.argv.slice(2);
fs.appendFileSync(path.join(home, 'calls.jsonl'), JSON.stringify(argv) + '\n');
const arg = (name) => {
  const a = argv.find((x) => x.startsWith('--' + name + '='));
  return a === undefined ? undefined : a.slice(name.length + 3);
};
if (!argv.includes('--output=json') || !argv.includes('--follow')) {
  console.error('fake journalctl: want --output=json --follow');
  process.exit(2);
}
const units = argv.filter((a) => a.startsWith('--unit=')).map((a) => a.slice(7));
const matches = argv.filter((a) => !a.startsWith('-') && a !== '+').map((a) => a.split('='));
const journal = path.join(home, 'journal.jsonl');
const lines = () => fs.readFileSync(journal, 'utf8').split('\n').filter((l) => l !== '');
let entries = lines();
let next = 0;
const after = arg('after-cursor');
if (after !== undefined) {
  const i = entries.findIndex((l) => JSON.parse(l).__CURSOR === after);
  if (i === -1) {
    console.error('Failed to seek to cursor: Invalid argument');
    process.exit(1);
  }
  next = i + 1;
} else {
  const n = arg('lines');
  next = n === undefined || n === 'all' ? 0 : Math.max(0, entries.length - Number(n));
}
let exitAfter = Infinity;
const exitFile = path.join(home, 'exit-after');
if (fs.existsSync(exitFile)) {
  const counts = fs.readFileSync(exitFile, 'utf8').split(',').filter((c) => c !== '');
  if (counts.length > 0) {
    exitAfter = Number(counts[0]);
    fs.writeFileSync(exitFile, counts.slice(1).join(','));
  }
}
let printed = 0;
function pump() {
  entries = lines();
  let out = '';
  while (next < entries.length && printed < exitAfter) {
    const line = entries[next++];
    const e = JSON.parse(line);
    if (units.length > 0 && !units.includes(e._SYSTEMD_UNIT)) continue;
    if (!matches.every(([k, v]) => e[k] === v)) continue;
    out += line + '\n';
    printed++;
  }
  // Writes to a pipe are synchronous on Linux: all of it is in the pipe before exit.
  if (out !== '') process.stdout.write(out);
  if (printed >= exitAfter) {
    console.error('fake journalctl: exiting as told');
    process.exit(3);
  }
  setTimeout(pump, 20);
}
pump();
`;

export interface FakeJournalctl {
  /** The executable. */
  readonly path: string;
  /** Appends entries to the journal (each gets a `__CURSOR` if it has none). */
  append(entries: readonly Record<string, unknown>[]): void;
  /** Makes the next runs exit after printing these many entries each. */
  exitAfter(counts: readonly number[]): void;
  /** The arguments of each run so far. */
  calls(): string[][];
}

/**
 * @example
 * const jc = fakeJournalctl(dir);
 * jc.append([{ MESSAGE: 'hello', PRIORITY: '6' }]);
 * new JournaldInput({ journalctl: jc.path, … });
 */
export function fakeJournalctl(dir: string): FakeJournalctl {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const path = join(dir, 'bin', 'journalctl');
  writeFileSync(path, `#!${process.execPath}\n${SCRIPT}`);
  chmodSync(path, 0o755);
  writeFileSync(join(dir, 'journal.jsonl'), '');
  let seq = 0;
  return {
    path,
    append(entries) {
      let text = '';
      for (const e of entries) {
        seq++;
        const cursor = `s=6f1d2c;i=${seq.toString(16)};b=9a8b;m=${seq.toString(16)};t=${seq.toString(16)};x=${(seq * 7919).toString(16)}`;
        text += `${JSON.stringify({ __CURSOR: cursor, ...e })}\n`;
      }
      appendFileSync(join(dir, 'journal.jsonl'), text);
    },
    exitAfter(counts) {
      writeFileSync(join(dir, 'exit-after'), counts.join(','));
    },
    calls() {
      return readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as string[]);
    },
  };
}
