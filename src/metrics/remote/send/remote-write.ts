/**
 * @module
 * All `remote_write` endpoints of the configuration: starts a queue per entry, and on reload
 * stops the queues whose entry went away or changed and starts the new ones. A queue keeps its
 * saved position across a change of its settings, since the position is keyed by its name.
 */

import type { Logger } from '../../../lib/log/logger.js';
import { remoteWriteName, type RemoteWriteConfig } from '../../../config/remote-write.js';
import type { SampleFeed } from '../../storage/feed.js';
import { RemoteWriteQueue } from './queue.js';

export interface RemoteWriteOptions {
  feed: SampleFeed;
  /** Where the queues save their positions. */
  dir: string;
  log: Logger;
}

export class RemoteWrite {
  readonly #options: RemoteWriteOptions;
  #queues = new Map<string, { queue: RemoteWriteQueue; fingerprint: string }>();

  constructor(options: RemoteWriteOptions) {
    this.#options = options;
  }

  /** The running queues, for metrics. */
  get queues(): RemoteWriteQueue[] {
    return [...this.#queues.values()].map((q) => q.queue);
  }

  /**
   * Brings the running queues in line with `configs`.
   *
   * @throws {Error} when a queue cannot be created (an unreadable TLS file); the queues that
   *   were running keep running.
   */
  async apply(
    configs: readonly RemoteWriteConfig[],
    externalLabels: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const next = new Map<string, { config: RemoteWriteConfig; fingerprint: string }>();
    for (const config of configs) {
      next.set(remoteWriteName(config), {
        config,
        // Parsed settings are plain data, so equal text means the same queue.
        fingerprint: JSON.stringify({ config, externalLabels }),
      });
    }
    const created = new Map<string, { queue: RemoteWriteQueue; fingerprint: string }>();
    for (const [name, entry] of next) {
      if (this.#queues.get(name)?.fingerprint === entry.fingerprint) continue;
      created.set(name, {
        queue: new RemoteWriteQueue({
          name,
          config: entry.config,
          externalLabels,
          feed: this.#options.feed,
          progressDir: this.#options.dir,
          log: this.#options.log.child({ remote_name: name }),
        }),
        fingerprint: entry.fingerprint,
      });
    }
    const stopping: Promise<void>[] = [];
    for (const [name, running] of this.#queues) {
      if (next.has(name) && !created.has(name)) continue;
      stopping.push(running.queue.stop());
      this.#queues.delete(name);
    }
    // A queue that replaces another resumes at the position the old one saved when it stopped.
    await Promise.all(stopping);
    for (const [name, entry] of created) {
      entry.queue.start();
      this.#queues.set(name, entry);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.stop()));
    this.#queues.clear();
  }
}
