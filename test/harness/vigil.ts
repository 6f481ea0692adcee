/**
 * @module
 * Runs the built `vigil` (dist/cli/vigil.js) as a real child process for end-to-end tests: on an
 * ephemeral port, with a temporary data directory removed after the test, its JSON log lines
 * collected, and stopped with a real signal whose exit code the test asserts.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { exitTempDir, tempDir } from './temp.js';

export { tempDir };

export const VIGIL_BIN = fileURLToPath(new URL('../../dist/cli/vigil.js', import.meta.url));

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the stop signal (or from start, for runs to completion) to exit */
  ms: number;
}

export interface VigilServer {
  /** `http://127.0.0.1:PORT` without a trailing slash */
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** JSON log lines so far; lines that are not JSON appear as `{level:'raw', msg}`. */
  logs: LogLine[];
  /** Resolves with the first log line (past or future) that `match` accepts. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  exited: Promise<Exit>;
}

export interface StartOptions {
  /** Configuration file contents; written to a temp file and passed with --config. */
  config?: string;
  dataDir?: string;
  args?: string[];
  /** Environment variables added to the process's (VIGIL_ADMIN_PASSWORD). */
  env?: Record<string, string>;
  /**
   * Run the log agent inside the server (default false: `--no-local-agent`, so no test reads
   * this machine's journal or /var/log); a test that wants it points it at its own files with
   * `server.local_agent.config`.
   */
  localAgent?: boolean;
  /** Wait for `/-/ready` to answer 200 (default true); over plain HTTP only. */
  waitReady?: boolean;
  timeoutMs?: number;
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  fn: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts `vigil server` and waits until it listens (and, by default, is ready). The process is
 * killed and its data directory removed when the test ends.
 *
 * @example
 * const vigil = await startVigil(t);
 * const res = await fetch(`${vigil.url}/-/ready`);
 */
export async function startVigil(t: TestContext, options: StartOptions = {}): Promise<VigilServer> {
  // Not `tempDir`: its removal would run before the hook that stops the server (a test's after
  // hooks run in the order they were added), and a server still writing there made the removal
  // fail with ENOTEMPTY. The hook below stops the server, then removes the directory.
  const ownDir = options.dataDir === undefined ? exitTempDir('vigil-test-') : undefined;
  const dataDir = options.dataDir ?? ownDir!;
  const args = [
    VIGIL_BIN,
    'server',
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    dataDir,
    '--log.format',
    'json',
  ];
  if (options.config !== undefined) {
    const file = join(tempDir(t, 'vigil-config-'), 'vigil.yml');
    writeFileSync(file, options.config);
    args.push('--config', file);
  }
  if (options.localAgent !== true) args.push('--no-local-agent');
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const logs: LogLine[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 'raw', msg: line });
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let stopAt = Date.now();
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - stopAt })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
  });
  // And when this process exits, should that hook not run (a hook before it that throws skips
  // it): a server left running had kept a CI machine busy for hours.
  const orphan = () => child.kill('SIGKILL');
  process.on('exit', orphan);
  void exited.then(() => process.off('exit', orphan));

  const timeoutMs = options.timeoutMs ?? 20_000;
  const waitForLog = (match: (l: LogLine) => boolean, ms = timeoutMs) =>
    poll('log line', ms, async () => {
      const line = logs.find(match);
      if (line === undefined && hasExited) {
        throw new Error(
          `vigil exited first; its log:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
        );
      }
      return line;
    });

  const listening = await waitForLog((l) => l.msg === 'listening');
  const port = Number(String(listening.address).split(':').pop());
  const url = `http://127.0.0.1:${port}`;
  if (options.waitReady ?? true) {
    await poll('/-/ready', timeoutMs, async () => {
      if (hasExited) throw new Error('vigil exited before it was ready');
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    });
  }
  return {
    url,
    port,
    dataDir,
    child,
    logs,
    waitForLog,
    exited,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      stopAt = Date.now();
      child.kill(signal);
      return exited;
    },
  };
}

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/**
 * Runs a `vigil` command to completion.
 *
 * @example
 * const r = await runVigil(['check', 'config', 'vigil.yml']);
 * assert.equal(r.code, 0);
 */
export function runVigil(args: readonly string[], timeoutMs = 20_000): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [VIGIL_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, stdout, stderr });
    }),
  );
}
