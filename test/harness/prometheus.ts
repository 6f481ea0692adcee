/**
 * @module
 * Debian's Prometheus (`/usr/bin/prometheus`) as a reference peer: started with a given
 * configuration on a port of its own, with its storage in a temporary directory, killed when
 * the test ends.
 */

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './temp.js';

export const PROMETHEUS = '/usr/bin/prometheus';
export const HAVE_PROMETHEUS = existsSync(PROMETHEUS);

export interface Prometheus {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The directory holding its prometheus.yml (file_sd paths may be relative to it). */
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with `config(port)` as its prometheus.yml and waits until it is ready.
 *
 * @example
 * const prom = await startPrometheus(t, () => 'global:\n  scrape_interval: 1s\n');
 */
export async function startPrometheus(
  t: { after: (fn: () => Promise<void>) => void },
  config: (port: number, dir: string) => string,
  args: string[] = [],
): Promise<Prometheus> {
  const dir = tempDir(t as never, 'vigil-prometheus-');
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), config(port, dir));
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  t.after(stop);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`prometheus not ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, dir, log: () => log, stop };
}
