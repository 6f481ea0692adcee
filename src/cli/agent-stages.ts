/**
 * @module
 * Builds the agent's configured message parsers and record filters from `agent.yml`: the
 * parsers each tail input lists, and the filter chain each input's records go through.
 */

import type { AgentConfig } from '../config/agent.js';
import type { FilterConfig, MessageParserConfig } from '../config/agent-stages.js';
import { FilterChain } from '../logs/agent/filters/chain.js';
import { KqlDropFilter } from '../logs/agent/filters/kql-drop.js';
import { globRegExp, MatchFilter } from '../logs/agent/filters/match.js';
import { addFilter, removeFilter, renameFilter } from '../logs/agent/filters/modify.js';
import type { RecordFilter } from '../logs/agent/filters/record-filter.js';
import type { AgentMetrics } from '../logs/agent/metrics.js';
import { LogfmtParser, RegexParser, type MessageParser } from '../logs/agent/parsers/message.js';
import { timeReader } from '../logs/agent/parsers/time-format.js';
import type { Input } from '../logs/agent/stage.js';
import { filteredInput } from '../logs/agent/filters/chain.js';

function messageParser(c: MessageParserConfig): MessageParser {
  const options = {
    name: c.name,
    timeField: c.time_field,
    readTime: c.time_field === '' ? null : timeReader(c.time_format),
    messageField: c.message_field,
  };
  return c.type === 'logfmt'
    ? new LogfmtParser(options)
    : new RegexParser(options, new RegExp(c.pattern));
}

/**
 * The message parsers an input names, in its order: configured ones by name, and the built-in
 * `logfmt` (message in `msg`, no time field) unless one is configured under that name.
 */
export function messageParsersFor(config: AgentConfig, names: readonly string[]): MessageParser[] {
  const byName = new Map<string, MessageParserConfig>([
    [
      'logfmt',
      {
        name: 'logfmt',
        type: 'logfmt',
        time_field: '',
        time_format: 'rfc3339',
        message_field: 'msg',
      },
    ],
  ]);
  for (const p of config.parsers) byName.set(p.name, p);
  return names.map((n) => messageParser(byName.get(n)!));
}

function recordFilter(c: FilterConfig): RecordFilter {
  switch (c.type) {
    case 'include':
    case 'exclude':
      return new MatchFilter(
        c.name,
        c.type,
        c.field,
        c.regex !== undefined ? new RegExp(c.regex) : globRegExp(c.glob!),
      );
    case 'add':
      return addFilter(c.name, c.fields, c.overwrite);
    case 'rename':
      return renameFilter(c.name, c.fields);
    case 'remove':
      return removeFilter(c.name, c.fields);
    case 'drop':
      return new KqlDropFilter(c.name, c.query);
  }
}

/**
 * Wraps each input whose records some filter sees with its chain; others are returned as they
 * are (no parse per record). Filters are built once and shared by the inputs they apply to.
 */
export function withFilters(
  config: AgentConfig,
  inputs: readonly Input[],
  metrics: AgentMetrics,
): Input[] {
  const filters = config.filters.map((c) => ({ c, filter: recordFilter(c) }));
  return inputs.map((input) => {
    const mine = filters
      .filter(({ c }) => c.inputs.length === 0 || c.inputs.includes(input.name))
      .map(({ filter }) => filter);
    return mine.length === 0
      ? input
      : filteredInput(input, new FilterChain(mine, metrics.recordsDropped));
  });
}
