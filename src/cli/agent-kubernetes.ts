/**
 * @module
 * The Kubernetes metadata the agent's tail inputs share, across reloads: built when an input
 * with `kubernetes: true` first needs it, kept — its watch cache running, its pods known — while
 * the `kubernetes:` section and the node name stay the same, replaced when either changes, and
 * stopped when no input needs it any more. What a reload replaces is stopped only after the
 * pipeline moved to the new configuration, so no running input loses its filter's cache.
 */

import type { AgentConfig } from '../config/agent.js';
import type { Logger } from '../lib/log/logger.js';
import type { Filter } from '../logs/agent/filters/filter.js';
import { kubernetesMetadata, type KubernetesMetadata } from '../logs/agent/kubernetes/setup.js';
import type { AgentMetrics } from '../logs/agent/metrics.js';

/** What {@link SharedKubernetesMetadata.use} gives for one configuration. */
export interface KubernetesUse {
  /** The filter the configuration's Kubernetes inputs get; undefined when none has one. */
  filter: Filter | undefined;
  /** Stops what this configuration no longer uses; call after the pipeline moved to it. */
  retire(): Promise<void>;
}

export class SharedKubernetesMetadata {
  readonly #metrics: AgentMetrics;
  readonly #log: Logger;
  #current: { key: string; k8s: KubernetesMetadata } | undefined;

  constructor(metrics: AgentMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
  }

  /**
   * The metadata `config` asks for on `node`, the running one when its settings are unchanged.
   * A new watch cache is started and waited for — up to `kubernetes.wait_for_metadata`, 1 s at
   * least — so files already there are read with their pods' metadata; an unreachable API
   * delays by that much at most (the cache keeps trying, and files wait per pod after it).
   *
   * @example
   * const k8s = await shared.use(config, node);
   * await pipeline.apply(specs(config, node, k8s.filter));
   * await k8s.retire();
   */
  async use(config: AgentConfig, node: string): Promise<KubernetesUse> {
    const needed = config.inputs.some((i) => i.type === 'tail' && i.kubernetes);
    const key = needed ? JSON.stringify({ kubernetes: config.kubernetes, node }) : undefined;
    const old = this.#current;
    if (key === old?.key) return { filter: old?.k8s.filter, retire: () => Promise.resolve() };
    this.#current = undefined;
    if (key === undefined) {
      this.#metrics.watchKubernetesCache(undefined);
    } else {
      const k8s = kubernetesMetadata(config.kubernetes, node, this.#metrics, this.#log);
      this.#current = { key, k8s };
      if (k8s.cache !== undefined) {
        k8s.cache.start();
        const wait = Math.max(config.kubernetes.wait_for_metadata, 1000);
        if (!(await k8s.cache.whenSynced(wait))) {
          this.#log.warn('Kubernetes API not listed yet; starting, pods are enriched when it is');
        }
      }
    }
    return { filter: this.#current?.k8s.filter, retire: () => stopMetadata(old?.k8s) };
  }

  /** Stops the running metadata, if any. */
  async stop(): Promise<void> {
    const k8s = this.#current?.k8s;
    this.#current = undefined;
    await stopMetadata(k8s);
  }
}

async function stopMetadata(k8s: KubernetesMetadata | undefined): Promise<void> {
  await k8s?.cache?.stop();
  k8s?.client?.close();
}
