/**
 * @module
 * Alertmanagers for end-to-end tests: the built `vigil alertmanager` on an ephemeral port, and
 * Debian's Alertmanager (`/usr/bin/prometheus-alertmanager`) as the reference peer, each with
 * its configuration and storage in temporary directories, killed when the test ends.
 */

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './temp.js';
import { VIGIL_BIN } from './vigil.js';

export const AMTOOL = '/usr/bin/amtool';
export const DEBIAN_ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
export const HAVE_AMTOOL = existsSync(AMTOOL);
export const HAVE_DEBIAN_ALERTMANAGER = existsSync(DEBIAN_ALERTMANAGER);

export interface RunningAlertmanager {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The alertmanager.yml it runs with. */
  configFile: string;
  storage: string;
  log(): string;
  /** SIGTERM, then resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
}

type Ctx = { after: (fn: () => Promise<unknown>) => void };

async function waitReady(url: string, what: string, log: () => string, exited: () => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline || exited()) throw new Error(`${what} not ready:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(
  t: Ctx,
  bin: string,
  args: string[],
  what: string,
  url: string,
  storage: string,
  configFile: string,
) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (log += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  t.after(stop);
  const am: RunningAlertmanager = { url, configFile, storage, log: () => log, stop };
  return {
    am,
    ready: () =>
      waitReady(
        url,
        what,
        () => log,
        () => child.exitCode !== null,
      ),
  };
}

/**
 * Starts `vigil alertmanager` with `config` as its alertmanager.yml.
 *
 * @example
 * const am = await startVigilAlertmanager(t, 'route:\n  receiver: x\nreceivers:\n  - name: x\n');
 */
export async function startVigilAlertmanager(
  t: Ctx,
  config: string,
  options: { storage?: string; extraArgs?: string[] } = {},
): Promise<RunningAlertmanager> {
  const dir = tempDir(t as never, 'vigil-am-');
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, config);
  const storage = options.storage ?? join(dir, 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { am, ready } = run(
    t,
    process.execPath,
    [
      VIGIL_BIN,
      'alertmanager',
      '--config.file',
      configFile,
      '--storage.path',
      storage,
      '--web.listen-address',
      `127.0.0.1:${port}`,
      '--log.format',
      'json',
      ...(options.extraArgs ?? []),
    ],
    'vigil alertmanager',
    url,
    storage,
    configFile,
  );
  await ready();
  return am;
}

/**
 * Starts Debian's Alertmanager (clustering off) with `config` as its alertmanager.yml.
 *
 * @example
 * const am = await startDebianAlertmanager(t, config);
 */
export async function startDebianAlertmanager(
  t: Ctx,
  config: string,
): Promise<RunningAlertmanager> {
  const dir = tempDir(t as never, 'debian-am-');
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, config);
  const storage = join(dir, 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { am, ready } = run(
    t,
    DEBIAN_ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    'prometheus-alertmanager',
    url,
    storage,
    configFile,
  );
  await ready();
  return am;
}
