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
 * Every message parser by name: the configured ones, and the built-in `logfmt` (message in
 * `msg`, no time field) unless one is configured under that name.
 */
export function namedMessageParsers(config: AgentConfig): Map<string, MessageParser> {
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
  return new Map([...byName].map(([name, c]) => [name, messageParser(c)]));
}

/** The message parsers an input names, in its order, from {@link namedMessageParsers}. */
export function messageParsersFor(
  named: ReadonlyMap<string, MessageParser>,
  names: readonly string[],
): MessageParser[] {
  return names.map((n) => named.get(n)!);
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

/** The filters that see `input`'s records, in their order. */
export function filtersFor(config: AgentConfig, input: string): FilterConfig[] {
  return config.filters.filter((c) => c.inputs.length === 0 || c.inputs.includes(input));
}

/**
 * `input` with the chain of filters that see its records, or `input` itself when none does
 * (no parse per record).
 */
export function withFilters(config: AgentConfig, input: Input, metrics: AgentMetrics): Input {
  const mine = filtersFor(config, input.name).map(recordFilter);
  return mine.length === 0
    ? input
    : filteredInput(input, new FilterChain(mine, metrics.recordsDropped));
}

/**
 * What an input's records depend on besides its own keys, as text: equal text, unchanged input
 * (a reload leaves it running).
 */
export function inputKey(config: AgentConfig, name: string, node: string): string {
  const input = config.inputs.find((i) => i.name === name);
  const kubernetes = input?.type === 'tail' && input.kubernetes;
  // A pod annotation may choose any parser, so an input with Kubernetes metadata depends on all.
  const parsers = kubernetes
    ? config.parsers
    : (input?.message_parsers ?? []).map((n) => config.parsers.find((p) => p.name === n) ?? n);
  return JSON.stringify({
    input,
    node,
    parsers,
    filters: filtersFor(config, name),
    kubernetes: kubernetes ? config.kubernetes : undefined,
  });
}
