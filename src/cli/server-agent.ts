/**
 * @module
 * The log agent inside `vigil server` (`server.local_agent`): the agent's inputs, parsers and
 * filters collecting this host's logs, written straight into the server's own log store through
 * its LogWriter — not over HTTP to itself — with the ids the Vigil output sends, so a restart
 * never stores a line twice. Its positions, cursors, dead-letter file and the buffers of any
 * extra outputs live under `<data-dir>/agent/`; its metrics are on the server's `/metrics`.
 *
 * Without `local_agent.config` it reads journald (an absent journalctl is reported once) and the
 * container log files, `/var/log/pods`, else `/var/log/containers` (the latter's files are links
 * to the former's, so both would read every line twice), when they exist. With it, the named
 * agent.yml's inputs, parsers, filters, kubernetes and node_name; its `data_dir`, `listen` and
 * `log` do not apply. A SIGHUP of the server reads it again (a file with problems refuses the
 * server's reload) and restarts only the inputs and outputs that changed.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCAL_STORE_OUTPUT, localAgentConfigSchema, type AgentConfig } from '../config/agent.js';
import { parseWithSchema, readConfigText } from '../config/parse.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';
import { registerAgentMetrics } from '../logs/agent/metrics.js';
import { DeadLetterFile } from '../logs/agent/outputs/dead-letter.js';
import { StoreSink } from '../logs/agent/outputs/store.js';
import { LivePipeline } from '../logs/agent/live-pipeline.js';
import type { AgentMetrics } from '../logs/agent/metrics.js';
import type { RecordSink } from '../logs/agent/stage.js';
import type { LogWriter } from '../logs/store/interface.js';
import type { AgentRegistry } from '../server/agents.js';
import { buildInfo } from '../lib/buildinfo.js';
import { SharedKubernetesMetadata } from './agent-kubernetes.js';
import { agentNodeName, applyAgentConfig } from './agent-reload.js';
import { partSpecs } from './agent.js';

export interface LocalAgentSettings {
  /** An agent.yml (resolved against `configDir`); empty for the defaults. */
  config: string;
  /** The index the host's logs go to. */
  index: string;
}

/** Where the default inputs look; tests and other hosts' layouts can point elsewhere. */
export interface HostLogPaths {
  pods: string;
  containers: string;
}

const HOST_LOG_PATHS: HostLogPaths = { pods: '/var/log/pods', containers: '/var/log/containers' };

/**
 * The configuration the agent runs without `local_agent.config`: journald, and the container
 * log tree that exists.
 *
 * @example
 * defaultLocalAgentConfig(); // inputs: journald, and containers when /var/log/pods exists
 */
export function defaultLocalAgentConfig(paths: HostLogPaths = HOST_LOG_PATHS): AgentConfig {
  const inputs: unknown[] = [{ name: 'journald', type: 'journald' }];
  if (existsSync(paths.pods)) {
    inputs.push({ name: 'containers', type: 'tail', include: [`${paths.pods}/*/*/*.log`] });
  } else if (existsSync(paths.containers)) {
    inputs.push({ name: 'containers', type: 'tail', include: [`${paths.containers}/*.log`] });
  }
  return localAgentConfigSchema.parse({ inputs });
}

/** The running agent. */
export interface LocalAgent {
  /**
   * Takes the agent.yml that `settings` name (or the defaults) again and restarts only what
   * changed. Calls must not overlap.
   *
   * @throws {ConfigError} when the file has problems; the running configuration is kept.
   */
  reload(settings: LocalAgentSettings): Promise<void>;
  /** Stops reading, saves positions and closes buffers. */
  stop(): Promise<void>;
}

/**
 * The agent configuration `settings` name: the agent.yml, resolved against `configDir`, or the
 * built-in defaults.
 *
 * @throws {ConfigError} when the file has problems, each at its file, line and key.
 */
export function readLocalAgentConfig(
  settings: LocalAgentSettings,
  configDir: string,
): { file: string | null; config: AgentConfig } {
  const file = settings.config === '' ? null : resolve(configDir, settings.config);
  return {
    file,
    config:
      file === null
        ? defaultLocalAgentConfig()
        : parseWithSchema(readConfigText(file), file, localAgentConfigSchema),
  };
}

/**
 * Reads the settings' agent.yml (or takes the defaults) and starts the agent, registering its
 * metrics on `registry`. Each batch it stores is reported to `agents`, so the Status page lists
 * this host beside the nodes that ship over HTTP.
 *
 * @throws {ConfigError} when the agent.yml has problems, each at its file, line and key.
 * @throws {Error} when the state under `<dataDir>/agent` cannot be opened.
 *
 * @example
 * const agent = await startLocalAgent({ config: '', index: 'logs-agent' }, {
 *   configDir: process.cwd(), dataDir, registry, writer: store, agents, log,
 * });
 */
export async function startLocalAgent(
  settings: LocalAgentSettings,
  parts: {
    configDir: string;
    dataDir: string;
    registry: Registry;
    writer: LogWriter;
    agents: AgentRegistry;
    log: Logger;
  },
): Promise<LocalAgent> {
  const { registry, writer, log } = parts;
  const { file, config } = readLocalAgentConfig(settings, parts.configDir);
  const startNode = agentNodeName(config, hostname());
  const dir = join(parts.dataDir, 'agent');
  mkdirSync(join(dir, 'positions'), { recursive: true });

  const metrics = registerAgentMetrics(registry);
  const kubernetes = new SharedKubernetesMetadata(metrics, log);
  const store = new StoreSink({
    name: LOCAL_STORE_OUTPUT,
    writer,
    index: settings.index,
    deadLetter: new DeadLetterFile(
      join(dir, 'dead-letter', `${LOCAL_STORE_OUTPUT}.ndjson`),
      LOCAL_STORE_OUTPUT,
    ),
    metrics,
    log: log.child({ component: 'output' }),
  });
  let node = startNode;
  const pipeline = new LivePipeline(log, [
    reportingTo(store, parts.agents, () => ({ node, index: settings.index, metrics })),
  ]);
  const specs = partSpecs(dir, metrics, log);
  try {
    const first = specs(config, node, (await kubernetes.use(config, node)).filter);
    await pipeline.apply(first.inputs, first.outputs);
  } catch (err) {
    store.close();
    await pipeline.stop().catch(() => {});
    await kubernetes.stop();
    throw new Error(`cannot start the local log agent in ${dir}`, { cause: err });
  }
  metrics.configReloadSuccessful.set(1);
  log.info('local log agent started', {
    node,
    index: settings.index,
    config: file ?? '(built-in defaults)',
    inputs: config.inputs.map((i) => i.name).join(','),
    outputs: [LOCAL_STORE_OUTPUT, ...config.outputs.map((o) => o.name)].join(','),
  });
  return {
    reload: async (next) => {
      if (next.index !== settings.index) {
        log.warn('local_agent.index takes effect at the next start, not on reload', {
          index: settings.index,
        });
      }
      let read;
      try {
        read = readLocalAgentConfig(next, parts.configDir);
      } catch (err) {
        metrics.configReloadSuccessful.set(0);
        throw err;
      }
      node = agentNodeName(read.config, startNode);
      await applyAgentConfig(read.config, node, { specs, pipeline, kubernetes, metrics, log });
    },
    stop: async () => {
      // An input waiting on a busy store must not hold the shutdown.
      store.close();
      await pipeline.stop();
      await kubernetes.stop();
    },
  };
}

/**
 * `store`, with each batch it stored reported to `agents` as an agent's request would be: this
 * host, at the address `local`, with the bytes its files still hold unread.
 */
function reportingTo(
  store: StoreSink,
  agents: AgentRegistry,
  now: () => { node: string; index: string; metrics: AgentMetrics },
): RecordSink {
  const version = buildInfo().version;
  return {
    copiesRecords: store.copiesRecords,
    append: async (records, signal) => {
      await store.append(records, signal);
      const { node, index, metrics } = now();
      let bytes = 0;
      for (const r of records) bytes += r.json.length;
      agents.see({
        node,
        version,
        address: 'local',
        principal: null,
        index,
        documents: records.length,
        bytes,
        bufferedBytes: 0,
        unreadBytes: metrics.unreadBytes(),
      });
    },
    sync: () => store.sync(),
  };
}
