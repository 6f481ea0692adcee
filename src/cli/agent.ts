/**
 * @module
 * `vigil agent`: reads `agent.yml`, builds the inputs, one disk buffer, output and shipper per
 * configured output, serves `/metrics`, and runs until SIGTERM/SIGINT, when it stops reading,
 * saves positions, and closes the buffers. `--dry-run` prints the parsed records instead, with
 * positions kept in memory only and nothing written to the data directory.
 */

import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { agentConfigSchema, type AgentConfig, type OutputConfig } from '../config/agent.js';
import { ConfigError } from '../config/errors.js';
import { parseWithSchema, readConfigText } from '../config/parse.js';
import {
  formatListenAddress,
  parseListenAddress,
  type ListenAddress,
} from '../config/listen-address.js';
import { HttpClient } from '../lib/http-client/client.js';
import { buildInfo } from '../lib/buildinfo.js';
import { Registry, registerProcessMetrics } from '../lib/instrument/index.js';
import { Logger, type LogFormat, type LogLevel } from '../lib/log/logger.js';
import { DiskBuffer } from '../logs/agent/buffer/disk-buffer.js';
import type { Filter } from '../logs/agent/filters/filter.js';
import { CursorFile } from '../logs/agent/inputs/journald/cursor-file.js';
import { JournaldInput } from '../logs/agent/inputs/journald/journald.js';
import { PositionDb } from '../logs/agent/inputs/tail/positions.js';
import { TailInput } from '../logs/agent/inputs/tail/tail.js';
import { registerAgentMetrics, type AgentMetrics } from '../logs/agent/metrics.js';
import { DeadLetterFile } from '../logs/agent/outputs/dead-letter.js';
import { Shipper } from '../logs/agent/outputs/shipper.js';
import { StdoutOutput, StdoutSink } from '../logs/agent/outputs/stdout.js';
import { ElasticsearchOutput } from '../logs/agent/outputs/elasticsearch.js';
import { FileOutput } from '../logs/agent/outputs/file.js';
import { LokiOutput } from '../logs/agent/outputs/loki.js';
import { VigilOutput } from '../logs/agent/outputs/vigil.js';
import { LivePipeline, type PartSpec } from '../logs/agent/live-pipeline.js';
import { Pipeline, type OutputLane } from '../logs/agent/pipeline.js';
import type { Input, Output } from '../logs/agent/stage.js';
import { SharedKubernetesMetadata } from './agent-kubernetes.js';
import { agentNodeName, applyAgentConfig, type ReloadableAgent } from './agent-reload.js';
import { inputKey, messageParsersFor, namedMessageParsers, withFilters } from './agent-stages.js';
import { takeDataDirectory } from './data-dir.js';
import { serveMetrics } from './metrics-http.js';

export interface AgentFlags {
  config: string;
  dataDir?: string;
  listen?: string;
  dryRun: boolean;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
}

/**
 * Runs the agent until a signal; resolves with the exit code (1 for a bad configuration, a
 * locked data directory or a failed listen).
 *
 * @example
 * process.exitCode = await runAgent({ config: 'agent.yml', dryRun: false });
 */
export async function runAgent(flags: AgentFlags): Promise<number> {
  let config: AgentConfig;
  try {
    config = parseWithSchema(readConfigText(flags.config), flags.config, agentConfigSchema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  let listen: ListenAddress = config.listen;
  if (flags.listen !== undefined) {
    const parsed = parseListenAddress(flags.listen);
    if (typeof parsed === 'string') {
      process.stderr.write(`vigil: --listen: ${parsed}\n`);
      return 1;
    }
    listen = parsed;
  }
  const log = new Logger({
    level: flags.logLevel ?? config.log.level,
    format: flags.logFormat ?? config.log.format,
  });
  const node = agentNodeName(config, hostname());
  const registry = new Registry();
  const stopProcessMetrics = registerProcessMetrics(registry);
  const metrics = registerAgentMetrics(registry);
  // Built once, outside the inputs, so a reload that leaves its settings alone keeps it.
  const kubernetes = new SharedKubernetesMetadata(metrics, log);
  const stopKubernetes = () => kubernetes.stop();

  if (flags.dryRun) {
    const sink = new StdoutSink(
      (text) => new Promise((done) => process.stdout.write(text, () => done())),
    );
    const { filter } = await kubernetes.use(config, node);
    const inputs = inputSpecs(config, node, filter, metrics, log, {
      positions: () => PositionDb.inMemory(),
      cursor: () => CursorFile.inMemory(),
    });
    const pipeline = new Pipeline(
      [...inputs.values()].map((spec) => spec.build()),
      [],
      sink,
      log,
    );
    await pipeline.start();
    return untilSignal(log, async () => {
      await pipeline.stop();
      await stopKubernetes();
      stopProcessMetrics();
    });
  }

  const dataDir = resolve(flags.dataDir ?? config.data_dir);
  const lock = takeDataDirectory(dataDir, log);
  if (lock === null) return 1;
  const pipeline = new LivePipeline(log);
  const specs = partSpecs(dataDir, metrics, log);
  try {
    mkdirSync(join(dataDir, 'positions'), { recursive: true });
  } catch (err) {
    log.error('cannot open the agent state', { data_dir: dataDir, err });
    lock.release();
    await stopKubernetes();
    return 1;
  }
  const server = createServer((req, res) => serveMetrics(registry, log, 'Vigil agent', req, res));
  try {
    await listenOn(server, listen);
  } catch (err) {
    log.error('cannot listen', { address: formatListenAddress(listen), err });
    lock.release();
    await stopKubernetes();
    return 1;
  }
  const bound = server.address();
  try {
    const first = specs(config, node, (await kubernetes.use(config, node)).filter);
    await pipeline.apply(first.inputs, first.outputs);
  } catch (err) {
    log.error('cannot open the agent state', { data_dir: dataDir, err });
    await pipeline.stop().catch(() => {});
    await stopKubernetes();
    server.close();
    lock.release();
    return 1;
  }
  metrics.configReloadSuccessful.set(1);
  log.info('agent started', {
    address:
      typeof bound === 'object' && bound !== null
        ? formatListenAddress({ host: bound.address, port: bound.port })
        : bound,
    node,
    data_dir: dataDir,
    inputs: config.inputs.map((i) => i.name).join(','),
    outputs: config.outputs.map((o) => o.name).join(','),
  });
  // SIGHUP: read the file again and apply what changed; reloads run one at a time.
  let running = config;
  let reloading = Promise.resolve();
  let stopping = false;
  process.on('SIGHUP', () => {
    if (stopping) return;
    reloading = reloading
      .then(async () => {
        running = await reload(flags.config, running, node, {
          specs,
          pipeline,
          kubernetes,
          metrics,
          log,
        });
      })
      .catch((err: unknown) => {
        metrics.configReloadSuccessful.set(0);
        log.error('cannot reload the configuration', { err });
      });
  });
  return untilSignal(log, async () => {
    stopping = true;
    await reloading;
    await pipeline.stop();
    await stopKubernetes();
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
    });
    stopProcessMetrics();
    lock.release();
  });
}

/**
 * Reads the configuration file again and brings the pipeline to it; returns the configuration
 * now running. A file with problems is logged, each at its file, line and key, and the running
 * configuration kept.
 */
async function reload(
  file: string,
  running: AgentConfig,
  node: string,
  agent: ReloadableAgent,
): Promise<AgentConfig> {
  let next: AgentConfig;
  try {
    next = parseWithSchema(readConfigText(file), file, agentConfigSchema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    agent.metrics.configReloadSuccessful.set(0);
    agent.log.error('cannot reload the configuration; the running one is kept', {
      problems: err.message,
    });
    return running;
  }
  for (const key of ['data_dir', 'listen', 'log'] as const) {
    if (JSON.stringify(next[key]) !== JSON.stringify(running[key])) {
      agent.log.warn('this key takes effect at the next start, not on reload', { key });
    }
  }
  await applyAgentConfig(next, agentNodeName(next, node), agent);
  return next;
}

/**
 * The inputs and output lanes a configuration asks for on a node, with their state under
 * `dataDir`: positions and cursors in `positions/`, buffers and dead letters as `laneSpecs` puts
 * them.
 *
 * @example
 * const { inputs, outputs } = partSpecs(dataDir, metrics, log)(config, node, k8s.filter);
 * await pipeline.apply(inputs, outputs);
 */
export function partSpecs(
  dataDir: string,
  metrics: AgentMetrics,
  log: Logger,
): ReloadableAgent['specs'] {
  const state = (name: string) => join(dataDir, 'positions', `${name}.json`);
  return (c, node, kubernetes) => ({
    inputs: inputSpecs(c, node, kubernetes, metrics, log, {
      positions: (name) => PositionDb.open(state(name)),
      cursor: (name) => CursorFile.open(state(name)),
    }),
    outputs: laneSpecs(c, dataDir, node, metrics, log),
  });
}

/** Each input by name, with the key a reload compares and how to build it. */
export function inputSpecs(
  config: AgentConfig,
  node: string,
  kubernetes: Filter | undefined,
  metrics: AgentMetrics,
  log: Logger,
  state: { positions: (name: string) => PositionDb; cursor: (name: string) => CursorFile },
): Map<string, PartSpec<Input>> {
  const inputLog = log.child({ component: 'input' });
  const parsers = namedMessageParsers(config);
  const build = (i: AgentConfig['inputs'][number]): Input =>
    i.type === 'journald'
      ? new JournaldInput({
          name: i.name,
          journalctl: i.journalctl,
          directory: i.directory,
          systemJournalDirs: ['/run/log/journal', '/var/log/journal'],
          readFrom: i.read_from,
          since: i.since,
          units: i.units,
          matches: i.matches,
          maxLineBytes: i.max_line_size,
          messageParsers: messageParsersFor(parsers, i.message_parsers),
          node,
          cursor: state.cursor(i.name),
          minRestartMs: i.min_restart_backoff,
          maxRestartMs: i.max_restart_backoff,
          metrics,
          log: inputLog,
        })
      : new TailInput({
          name: i.name,
          include: i.include,
          exclude: i.exclude,
          readFrom: i.read_from,
          format: i.format,
          json: i.json,
          messageParsers: messageParsersFor(parsers, i.message_parsers),
          multiline:
            i.multiline.rules.length === 0 && i.multiline.first_line === ''
              ? null
              : {
                  firstLine:
                    i.multiline.first_line === '' ? null : new RegExp(i.multiline.first_line),
                  rules: i.multiline.rules,
                  flushTimeoutMs: i.multiline.flush_timeout,
                },
          maxLineBytes: i.max_line_size,
          scanIntervalMs: i.scan_interval,
          pollIntervalMs: i.poll_interval,
          rotateWaitMs: i.rotate_wait,
          node,
          positions: state.positions(i.name),
          namedParsers: parsers,
          filters: i.kubernetes && kubernetes !== undefined ? [kubernetes] : [],
          metrics,
          log: inputLog,
        });
  return new Map(
    config.inputs.map((i) => [
      i.name,
      {
        key: inputKey(config, i.name, node),
        build: () => withFilters(config, build(i), metrics),
      },
    ]),
  );
}

/** Each output's lane by name, with the key a reload compares and how to build it. */
export function laneSpecs(
  config: AgentConfig,
  dataDir: string,
  node: string,
  metrics: AgentMetrics,
  log: Logger,
): Map<string, PartSpec<OutputLane>> {
  return new Map(
    config.outputs.map((o) => [
      o.name,
      {
        // A Vigil output tells the server the node's name: a new name restarts it.
        key: JSON.stringify(o.type === 'vigil' ? { output: o, node } : o),
        build: () => buildLane(o, dataDir, node, metrics, log),
      },
    ]),
  );
}

function buildLane(
  o: OutputConfig,
  dataDir: string,
  node: string,
  metrics: AgentMetrics,
  log: Logger,
): OutputLane {
  const buffer = DiskBuffer.open({
    dir: join(dataDir, 'buffer', o.name),
    maxBytes: o.buffer.max_size,
    chunkBytes: o.buffer.chunk_size,
    onCorruptChunk: (file, offset) => {
      metrics.bufferCorrupt.labels(o.name).inc();
      log.warn('buffer chunk has a damaged tail, skipped', { output: o.name, file, offset });
    },
  });
  const output = buildOutput(
    o,
    dataDir,
    { node, buffer },
    metrics,
    log.child({ component: 'output' }),
  );
  metrics.watchBuffer(o.name, buffer);
  const batch = {
    maxRecords: o.batch.max_records,
    maxBytes: o.batch.max_size,
    waitMs: o.batch.wait,
    inFlight: o.batch.in_flight,
  };
  return { buffer, shipper: new Shipper(buffer, output, batch, log) };
}

function buildOutput(
  o: OutputConfig,
  dataDir: string,
  lane: { node: string; buffer: { readonly bytes: number } },
  metrics: AgentMetrics,
  log: Logger,
): Output {
  if (o.type === 'stdout') {
    const write = (text: string) =>
      new Promise<void>((done, fail) =>
        process.stdout.write(text, (err) => (err ? fail(err) : done())),
      );
    return new StdoutOutput(o.name, write, metrics, log);
  }
  if (o.type === 'file') {
    return new FileOutput({
      name: o.name,
      path: resolve(o.path),
      minBackoffMs: o.retry.min_backoff,
      maxBackoffMs: o.retry.max_backoff,
      metrics,
      log,
    });
  }
  const common = {
    name: o.name,
    url: o.url,
    gzip: o.compression === 'gzip',
    timeoutMs: o.timeout,
    retry: {
      maxRetries: o.retry.max_retries,
      minBackoffMs: o.retry.min_backoff,
      maxBackoffMs: o.retry.max_backoff,
    },
    client: new HttpClient(o, 4),
    deadLetter: new DeadLetterFile(join(dataDir, 'dead-letter', `${o.name}.ndjson`), o.name),
    metrics,
    log,
  };
  switch (o.type) {
    case 'vigil':
      return new VigilOutput({
        ...common,
        index: o.index,
        agent: {
          node: lane.node,
          version: buildInfo().version,
          bufferedBytes: () => lane.buffer.bytes,
          unreadBytes: () => metrics.unreadBytes(),
        },
      });
    case 'elasticsearch':
      return new ElasticsearchOutput({ ...common, index: o.index });
    case 'loki':
      return new LokiOutput({
        ...common,
        labels: o.labels,
        staticLabels: o.static_labels,
        tenantId: o.tenant_id,
      });
  }
}

function listenOn(server: Server, a: ListenAddress): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(a.port, a.host === '' ? '::' : a.host, () => done());
  });
}

function untilSignal(log: Logger, stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      stop().then(
        () => resolveExit(0),
        (err: unknown) => {
          log.error('stop failed', { err });
          resolveExit(1);
        },
      );
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
}
