/**
 * @module
 * The agent's own metrics, on its `/metrics`: what each input read, truncated and repaired, and
 * what each output sent, failed to send and holds in its buffer. Nothing is dropped by design;
 * what the agent could not prevent losing (a file deleted before it was read to its end) is
 * counted as lost. Counters are
 * created here so every stage registers the same names.
 */

import type { Counter, Gauge, Registry } from '../../lib/instrument/index.js';

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
  recordsSent: Counter;
  recordsFailed: Counter;
  retries: Counter;
  bufferCorrupt: Counter;
  /** Exports `buffer.bytes` as vigil_agent_buffer_bytes{output=name}, read at each exposition. */
  watchBuffer(name: string, buffer: { readonly bytes: number }): void;
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
  registry.gauge({
    name: 'vigil_agent_buffer_bytes',
    help: 'Bytes in the output buffer not yet acknowledged by the destination.',
    labelNames: output,
    collect: (g) => {
      for (const [name, b] of buffers) g.labels(name).set(b.bytes);
    },
  });
  return {
    watchBuffer: (name, buffer) => void buffers.set(name, buffer),
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
    lagBytes: registry.gauge({
      name: 'vigil_agent_lag_bytes',
      help: 'Bytes written to followed files and not read yet.',
      labelNames: input,
    }),
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
    bufferCorrupt: registry.counter({
      name: 'vigil_agent_buffer_corrupt_chunks_total',
      help: 'Buffer chunks whose damaged tail was skipped (a write cut short by a crash).',
      labelNames: output,
    }),
  };
}
