/**
 * @module
 * The tail input's options as the agent's tests use them: raw lines of `<dir>/logs/*.log`, read
 * from the head, polled fast, positions in `<dir>/positions.json`; a test overrides what it is
 * about.
 */

import { join } from 'node:path';
import { Logger } from '../../src/lib/log/logger.js';
import type { TailOptions } from '../../src/logs/agent/inputs/tail/tail.js';
import { PositionDb } from '../../src/logs/agent/inputs/tail/positions.js';
import type { AgentMetrics } from '../../src/logs/agent/metrics.js';

/**
 * @example
 * const input = new TailInput(tailOptions(dir, metrics, { format: 'cri' }));
 */
export function tailOptions(
  dir: string,
  metrics: AgentMetrics,
  overrides: Partial<TailOptions> = {},
): TailOptions {
  return {
    name: 'files',
    include: [`${dir}/logs/*.log`],
    exclude: [],
    readFrom: 'head',
    format: 'raw',
    json: false,
    multiline: null,
    maxLineBytes: 1024,
    scanIntervalMs: 100,
    pollIntervalMs: 20,
    rotateWaitMs: 100,
    node: 'n',
    filters: [],
    metrics,
    log: new Logger({ level: 'error' }),
    ...overrides,
    positions: overrides.positions ?? PositionDb.open(join(dir, 'positions.json')),
  };
}
