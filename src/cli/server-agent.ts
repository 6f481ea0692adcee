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
 * `log` do not apply, and it is read at start (a SIGHUP of the server does not reload it).
 */

import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCAL_STORE_OUTPUT, localAgentConfigSchema, type AgentConfig } from '../config/agent.js';
import { parseWithSchema, readConfigText } from '../config/load.js';
import type { Registry } from '../lib/instrument/index.js';
import type { Logger } from '../lib/log/logger.js';
import { CursorFile } from '../logs/agent/inputs/journald/cursor-file.js';
import { PositionDb } from '../logs/agent/inputs/tail/positions.js';
import { registerAgentMetrics } from '../logs/agent/metrics.js';
import { DeadLetterFile } from '../logs/agent/outputs/dead-letter.js';
import { StoreSink } from '../logs/agent/outputs/store.js';
import { FanOutSink, Pipeline, type OutputLane } from '../logs/agent/pipeline.js';
import type { LogWriter } from '../logs/store/interface.js';
import { SharedKubernetesMetadata } from './agent-kubernetes.js';
import { inputSpecs, laneSpecs } from './agent.js';

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

/** The running agent; {@link stop} stops reading, saves positions and closes buffers. */
export interface LocalAgent {
  stop(): Promise<void>;
}

/**
 * Reads the settings' agent.yml (or takes the defaults) and starts the agent, registering its
 * metrics on `registry`.
 *
 * @throws {ConfigError} when the agent.yml has problems, each at its file, line and key.
 * @throws {Error} when the state under `<dataDir>/agent` cannot be opened.
 *
 * @example
 * const agent = await startLocalAgent({ config: '', index: 'logs-agent' }, {
 *   configDir: process.cwd(), dataDir, registry, writer: store, log,
 * });
 */
export async function startLocalAgent(
  settings: LocalAgentSettings,
  parts: {
    configDir: string;
    dataDir: string;
    registry: Registry;
    writer: LogWriter;
    log: Logger;
  },
): Promise<LocalAgent> {
  const { registry, writer, log } = parts;
  const file = settings.config === '' ? null : resolve(parts.configDir, settings.config);
  const config =
    file === null
      ? defaultLocalAgentConfig()
      : parseWithSchema(readConfigText(file), file, localAgentConfigSchema);
  const node = config.node_name || process.env.NODE_NAME || hostname();
  const dir = join(parts.dataDir, 'agent');
  const state = (name: string) => join(dir, 'positions', `${name}.json`);
  mkdirSync(join(dir, 'positions'), { recursive: true });

  const metrics = registerAgentMetrics(registry);
  const kubernetes = new SharedKubernetesMetadata(metrics, log);
  const { filter } = await kubernetes.use(config, node);
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
  let pipeline: Pipeline | undefined;
  const lanes: OutputLane[] = [];
  try {
    for (const spec of laneSpecs(config, dir, node, metrics, log).values()) {
      lanes.push(spec.build());
    }
    const inputs = [
      ...inputSpecs(config, node, filter, metrics, log, {
        positions: (name) => PositionDb.open(state(name)),
        cursor: (name) => CursorFile.open(state(name)),
      }).values(),
    ].map((spec) => spec.build());
    pipeline = new Pipeline(
      inputs,
      lanes,
      new FanOutSink([store, ...lanes.map((l) => l.buffer)]),
      log,
    );
    await pipeline.start();
  } catch (err) {
    store.close();
    if (pipeline !== undefined) await pipeline.stop().catch(() => {});
    // Not started yet: their senders never ran, only the buffers are open.
    else for (const lane of lanes) await lane.buffer.close().catch(() => {});
    await kubernetes.stop();
    throw new Error(`cannot start the local log agent in ${dir}`, { cause: err });
  }
  log.info('local log agent started', {
    node,
    index: settings.index,
    config: file ?? '(built-in defaults)',
    inputs: config.inputs.map((i) => i.name).join(','),
    outputs: [LOCAL_STORE_OUTPUT, ...config.outputs.map((o) => o.name)].join(','),
  });
  return {
    stop: async () => {
      // An input waiting on a busy store must not hold the shutdown.
      store.close();
      await pipeline!.stop();
      await kubernetes.stop();
    },
  };
}
