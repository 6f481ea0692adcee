/**
 * @module
 * Bringing a running agent to a new configuration (SIGHUP), shared by `vigil agent` and the
 * agent inside `vigil server`: the Kubernetes metadata is kept or replaced, the pipeline
 * restarts only the inputs and outputs whose settings changed, and the outcome is logged and set
 * on `vigil_agent_config_last_reload_successful`.
 */

import type { AgentConfig } from '../config/agent.js';
import type { Logger } from '../lib/log/logger.js';
import type { Filter } from '../logs/agent/filters/filter.js';
import type { LivePipeline, PartSpec } from '../logs/agent/live-pipeline.js';
import type { AgentMetrics } from '../logs/agent/metrics.js';
import type { OutputLane } from '../logs/agent/pipeline.js';
import type { Input } from '../logs/agent/stage.js';
import type { SharedKubernetesMetadata } from './agent-kubernetes.js';

/**
 * The node name a configuration gives (part of every record id): `node_name`, else `$NODE_NAME`,
 * else `fallback` (the host name at start; on reload, the name the agent started with).
 */
export function agentNodeName(config: { node_name: string }, fallback: string): string {
  return config.node_name || process.env.NODE_NAME || fallback;
}

/** The running agent's parts a reload works on. */
export interface ReloadableAgent {
  /** The inputs and output lanes a configuration asks for on a node. */
  specs: (
    c: AgentConfig,
    node: string,
    kubernetes: Filter | undefined,
  ) => {
    inputs: Map<string, PartSpec<Input>>;
    outputs: Map<string, PartSpec<OutputLane>>;
  };
  pipeline: LivePipeline;
  kubernetes: SharedKubernetesMetadata;
  metrics: AgentMetrics;
  log: Logger;
}

/**
 * Applies `next` (already read and valid) on `node`. Parts that cannot be started are logged
 * and tried again at the next reload; the rest runs `next`. Calls must not overlap.
 *
 * @example
 * await applyAgentConfig(next, node, { specs, pipeline, kubernetes, metrics, log });
 */
export async function applyAgentConfig(
  next: AgentConfig,
  node: string,
  agent: ReloadableAgent,
): Promise<void> {
  const { specs, pipeline, kubernetes, metrics, log } = agent;
  // Inputs that use a replaced Kubernetes cache restart (their key has its settings), so it is
  // stopped after the apply.
  const k8s = await kubernetes.use(next, node);
  try {
    const s = specs(next, node, k8s.filter);
    const done = await pipeline.apply(s.inputs, s.outputs);
    for (const name of done.outputs.stopped) metrics.unwatchBuffer(name);
    metrics.configReloadSuccessful.set(1);
    log.info('configuration reloaded', {
      inputs_started: done.inputs.started.join(','),
      inputs_restarted: done.inputs.restarted.join(','),
      inputs_stopped: done.inputs.stopped.join(','),
      outputs_started: done.outputs.started.join(','),
      outputs_restarted: done.outputs.restarted.join(','),
      outputs_stopped: done.outputs.stopped.join(','),
    });
  } catch (err) {
    // The parts that could be started run the new configuration; the error names the others.
    metrics.configReloadSuccessful.set(0);
    log.error('cannot start every part of the reloaded configuration', { err });
  } finally {
    await k8s.retire();
  }
}
