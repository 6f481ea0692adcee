/**
 * @module
 * The `static_configs` discoverer: the configured groups, reported once. They change only when
 * the configuration does, which replaces the discoverer.
 */

import type { Discoverer, TargetGroup } from '../interface.js';
import type { StaticConfig } from './config.js';

/**
 * The group an entry describes: each target becomes `{__address__: target}`.
 *
 * @example
 * toTargetGroup({ targets: ['db:9100'], labels: { env: 'prod' } }, '0');
 * // { source: '0', targets: [{ __address__: 'db:9100' }], labels: { env: 'prod' } }
 */
export function toTargetGroup(entry: StaticConfig, source: string): TargetGroup {
  return {
    source,
    targets: entry.targets.map((address) => ({ __address__: address })),
    labels: entry.labels,
  };
}

/** Resolves once `signal` has aborted (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

/** Reports one group per entry, with the entry's index as its source. */
export class StaticDiscoverer implements Discoverer {
  readonly #groups: readonly TargetGroup[];

  /**
   * @example
   * const d = new StaticDiscoverer([{ targets: ['localhost:9700'], labels: {} }]);
   * await d.run((groups) => console.log(groups), signal);
   */
  constructor(entries: readonly StaticConfig[]) {
    this.#groups = entries.map((e, i) => toTargetGroup(e, String(i)));
  }

  /** Calls `update` once, synchronously, with every group; resolves when `signal` aborts. */
  run(update: (groups: TargetGroup[]) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    update([...this.#groups]);
    return aborted(signal);
  }
}
