/**
 * @module
 * Runs the built `vigil agent` as a real child process for end-to-end tests, with JSON logs
 * collected, killed when the test ends.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { VIGIL_BIN, type LogLine } from './vigil.js';

export interface AgentProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** `http://127.0.0.1:PORT` of its /metrics, once it logged that it started. */
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * @example
 * const agent = startAgent(t, ['--config', file, '--data-dir', dir]);
 * await agent.url;
 */
export function startAgent(t: TestContext, args: readonly string[]): AgentProcess {
  const child = spawn(
    process.execPath,
    [VIGIL_BIN, 'agent', '--listen', '127.0.0.1:0', '--log.format', 'json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const logs: LogLine[] = [];
  let partial = '';
  let onStarted: (url: string) => void = () => {};
  let onFailed: (err: Error) => void = () => {};
  const url = new Promise<string>((resolve, reject) => {
    onStarted = resolve;
    onFailed = reject;
  });
  url.catch(() => {});
  const onData = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = { level: 'raw', msg: line };
      }
      logs.push(parsed);
      if (parsed.msg === 'agent started') {
        onStarted(`http://${String(parsed.address)}`);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      onFailed(
        new Error(
          `agent exited (${code ?? signal}) before it started:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
        ),
      );
      resolve({ code, signal });
    }),
  );
  return {
    child,
    logs,
    url,
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
