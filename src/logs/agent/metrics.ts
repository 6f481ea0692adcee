/**
 * @module
 * The agent's own metrics, on its `/metrics`: what each input read, truncated and repaired, and
 * what each output sent, failed to send and holds in its buffer. Nothing is dropped by design;
 * what the agent could not prevent losing (a file deleted before it was read to its end) is
 * counted as lost. Counters are
 * created here so every stage registers the same names.
 */

import type { Counter, Gauge, Registry } from '../../lib/instrument/index.js';

/** The followed files of one input and how far each is behind, read at each exposition. */
export type FileLagSource = () => Iterable<{ path: string; lag: number }>;

export interface AgentMetrics {
  linesRead: Counter;
  linesTruncated: Counter;
  linesInvalidUtf8: Counter;
  linesMalformed: Counter;
  linesUnparsed: Counter;
  timesInvalid: Counter;
  recordsDropped: Counter;
  filesLost: Counter;
  filesOpen: Gauge;
  lagBytes: Gauge;
  journaldUnavailable: Gauge;
  journaldRestarts: Counter;
  recordsExcluded: Counter;
  kubernetesEvictions: Counter;
  kubernetesMissing: Counter;
  recordsSent: Counter;
  recordsFailed: Counter;
  retries: Counter;
  bufferCorrupt: Counter;
  configReloadSuccessful: Gauge;
  /** Exports `cache.size` as vigil_agent_kubernetes_pods, read at each exposition; 0 for none. */
  watchKubernetesCache(cache: { readonly size: number } | undefined): void;
  /** Exports `buffer.bytes` as vigil_agent_buffer_bytes{output=name}, read at each exposition. */
  watchBuffer(name: string, buffer: { readonly bytes: number }): void;
  /** Stops exporting a removed output's buffer. */
  unwatchBuffer(name: string): void;
  /**
   * Exports what `files` gives, at each exposition, as vigil_agent_file_lag_bytes{input, path}:
   * a followed file's bytes past its acknowledged position. Replaces the input's previous source.
   */
  watchFileLag(input: string, files: FileLagSource): void;
  /** Stops exporting the input's files, if `files` is still its source. */
  unwatchFileLag(input: string, files: FileLagSource): void;
  /** Bytes written to followed files and not read yet, summed over the inputs (`lagBytes`). */
  unreadBytes(): number;
}

/**
 * @example
 * const metrics = registerAgentMetrics(registry);
 * metrics.linesRead.labels('pods').inc(120);
 */
export function registerAgentMetrics(registry: Registry): AgentMetrics {
  const input = ['input'];
  const output = ['output'];
  const buffers = new Map<string, { readonly bytes: number }>();
  // A collector rather than a gauge with a callback: a removed output's series must go, and a
  // gauge keeps every series it saw.
  registry.collector({
    collect: () => [
      {
        name: 'vigil_agent_buffer_bytes',
        help: 'Bytes in the output buffer not yet acknowledged by the destination.',
        type: 'gauge',
        samples: [...buffers].map(([name, b]) => ({
          suffix: '' as const,
          labels: [['output', name] as const],
          value: b.bytes,
        })),
      },
    ],
  });
  const fileLags = new Map<string, FileLagSource>();
  // A collector rather than a gauge: files come and go, and a gauge keeps every series it saw.
  registry.collector({
    collect: () => {
      const samples = [];
      for (const [input, files] of fileLags) {
        for (const { path, lag } of files()) {
          samples.push({
            suffix: '' as const,
            labels: [['input', input] as const, ['path', path] as const],
            value: lag,
          });
        }
      }
      return [
        {
          name: 'vigil_agent_file_lag_bytes',
          help: 'Bytes of a followed file past its acknowledged position (taken by every buffer).',
          type: 'gauge',
          samples,
        },
      ];
    },
  });
  let podCache: { readonly size: number } | undefined;
  registry.gauge({
    name: 'vigil_agent_kubernetes_pods',
    help: 'Pods whose API metadata the agent holds, deleted ones in their grace period included.',
    collect: (g) => g.set(podCache?.size ?? 0),
  });
  const lagBytes = registry.gauge({
    name: 'vigil_agent_lag_bytes',
    help: 'Bytes written to followed files and not read yet.',
    labelNames: input,
  });
  return {
    unreadBytes: () => lagBytes.collect().samples.reduce((n, x) => n + x.value, 0),
    watchKubernetesCache: (cache) => void (podCache = cache),
    watchBuffer: (name, buffer) => void buffers.set(name, buffer),
    unwatchBuffer: (name) => void buffers.delete(name),
    watchFileLag: (input, files) => void fileLags.set(input, files),
    unwatchFileLag: (input, files) => {
      if (fileLags.get(input) === files) fileLags.delete(input);
    },
    linesRead: registry.counter({
      name: 'vigil_agent_lines_read_total',
      help: 'Lines read from log files, and entries read from the journal.',
      labelNames: input,
    }),
    linesTruncated: registry.counter({
      name: 'vigil_agent_lines_truncated_total',
      help: 'Lines or joined records cut at max_line_size.',
      labelNames: input,
    }),
    linesInvalidUtf8: registry.counter({
      name: 'vigil_agent_lines_invalid_utf8_total',
      help: 'Records whose invalid UTF-8 was replaced by U+FFFD.',
      labelNames: input,
    }),
    linesMalformed: registry.counter({
      name: 'vigil_agent_lines_malformed_total',
      help: 'Lines not in the expected format (CRI, docker json-file), kept as plain text.',
      labelNames: input,
    }),
    linesUnparsed: registry.counter({
      name: 'vigil_agent_lines_unparsed_total',
      help: 'Messages none of the input’s logfmt or regex parsers read, kept as they are.',
      labelNames: input,
    }),
    timesInvalid: registry.counter({
      name: 'vigil_agent_times_invalid_total',
      help: 'Time fields not in the parser’s time_format; the line’s own time was kept.',
      labelNames: input,
    }),
    recordsDropped: registry.counter({
      name: 'vigil_agent_records_dropped_total',
      help: 'Records dropped by a filter (include, exclude, drop) as configured.',
      labelNames: ['filter'],
    }),
    filesLost: registry.counter({
      name: 'vigil_agent_files_lost_total',
      help: 'Files in the position database gone at start (deleted, or compressed, while the agent was stopped); their unread end, if any, is lost.',
      labelNames: input,
    }),
    filesOpen: registry.gauge({
      name: 'vigil_agent_files_open',
      help: 'Files being followed, rotated ones still being finished included.',
      labelNames: input,
    }),
    lagBytes,
    journaldUnavailable: registry.gauge({
      name: 'vigil_agent_journald_unavailable',
      help: '1 while journalctl cannot be run or finds no journal (reported once, retried quietly).',
      labelNames: input,
    }),
    journaldRestarts: registry.counter({
      name: 'vigil_agent_journald_restarts_total',
      help: 'Times journalctl exited and was started again.',
      labelNames: input,
    }),
    recordsExcluded: registry.counter({
      name: 'vigil_agent_records_excluded_total',
      help: 'Records dropped because their pod opted out (vigil.io/exclude annotation).',
      labelNames: input,
    }),
    kubernetesEvictions: registry.counter({
      name: 'vigil_agent_kubernetes_pods_evicted_total',
      help: 'Pods pushed out of the metadata cache by kubernetes.max_pods.',
    }),
    kubernetesMissing: registry.counter({
      name: 'vigil_agent_kubernetes_metadata_missing_total',
      help: 'Pods whose logs were read with path metadata only, their API metadata not there after kubernetes.wait_for_metadata.',
    }),
    recordsSent: registry.counter({
      name: 'vigil_agent_records_sent_total',
      help: 'Records the destination acknowledged (stored now or before, by id).',
      labelNames: output,
    }),
    recordsFailed: registry.counter({
      name: 'vigil_agent_records_failed_total',
      help: 'Records the destination refused for good; written to the dead-letter file.',
      labelNames: output,
    }),
    retries: registry.counter({
      name: 'vigil_agent_output_retries_total',
      help: 'Requests retried after a network error, a timeout, 429 or 5xx.',
      labelNames: output,
    }),
    configReloadSuccessful: registry.gauge({
      name: 'vigil_agent_config_last_reload_successful',
      help: '1 when the configuration was loaded (at start or on SIGHUP) without problems, else 0.',
    }),
    bufferCorrupt: registry.counter({
      name: 'vigil_agent_buffer_corrupt_chunks_total',
      help: 'Buffer chunks whose damaged tail was skipped (a write cut short by a crash).',
      labelNames: output,
    }),
  };
}
