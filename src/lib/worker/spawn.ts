/**
 * @module
 * Starts a `worker_threads` worker on a module that sits beside its caller: `worker.js` in
 * `dist/`, or `worker.ts` when running from source under tsx. Node 20 does not carry module
 * hooks into worker threads and tsx's `--import` registers itself on the main thread only, so
 * from source the thread first registers tsx's hooks through its API, then imports the entry.
 */

import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker on the module `name` (without extension) in the folder of `callerUrl`.
 *
 * @param callerUrl the caller's `import.meta.url`; its extension decides `.js` or `.ts`.
 * @example
 * const worker = spawnWorkerBeside(import.meta.url, 'worker');
 */
export function spawnWorkerBeside(callerUrl: string, name: string): Worker {
  const ext = extname(fileURLToPath(callerUrl));
  const entry = new URL(`./${name}${ext}`, callerUrl);
  // No execArgv: a worker inherits the process's flags minus those it cannot take, where
  // passing process.execArgv explicitly fails on any per-process flag (--max-old-space-size).
  if (ext !== '.ts') return new Worker(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true });
}
