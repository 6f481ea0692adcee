/**
 * @module
 * Debian's VictoriaMetrics (`/usr/bin/victoria-metrics`) as a real remote write peer: started on
 * a port of its own with a temporary storage directory, stopped and started again on the same
 * port and data to play a remote that goes away.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './ports.js';

export const VICTORIA_METRICS = '/usr/bin/victoria-metrics';
export const HAVE_VICTORIA_METRICS = existsSync(VICTORIA_METRICS);

export interface VictoriaMetrics {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Its output so far, for failure messages. */
  log(): string;
  /** Starts it (again, on the same port and data) and waits until it answers /health. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * @example
 * const vm = await victoriaMetrics(t, dir, ['-httpAuth.username=u', '-httpAuth.password=p']);
 * await vm.start();
 */
export async function victoriaMetrics(
  t: { after: (fn: () => Promise<void>) => void },
  dataDir: string,
  extraArgs: string[] = [],
): Promise<VictoriaMetrics> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const stop = async () => {
    if (child === null) return;
    child.kill('SIGTERM');
    await exited;
    child = null;
  };
  t.after(stop);
  return {
    url,
    log: () => output,
    async start() {
      const proc = spawn(
        VICTORIA_METRICS,
        [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-storageDataPath=${dataDir}`,
          '-retentionPeriod=100y',
          '-loggerLevel=WARN',
          ...extraArgs,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      exited = new Promise((resolve) => proc.on('exit', () => resolve()));
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`victoria-metrics exited:\n${output}`);
        const res = await fetch(`${url}/health`).catch(() => undefined);
        if (res?.status === 200) return;
        if (Date.now() > deadline) throw new Error(`victoria-metrics not healthy:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
  };
}
