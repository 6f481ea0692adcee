/**
 * @module
 * From a discovered target to what is scraped, as Prometheus 3 does it: the group's and the
 * target's labels, plus the job's defaults (`job`, `__scheme__`, `__metrics_path__`,
 * `__scrape_interval__`, `__scrape_timeout__`, `__param_<name>`) where discovery did not set
 * them, are the discovered labels; `relabel_configs` turn them into the target's labels or drop
 * the target; `__meta_*` labels go, `instance` defaults to `__address__`, and labels starting
 * with `__` stay internal (they build the URL) but are not attached to samples.
 */

import { formatDuration, parseDuration } from '../../lib/units/duration.js';
import { Labels } from '../model/labels.js';
import type { RelabelConfig } from '../model/relabel/config.js';
import { relabel } from '../model/relabel/relabel.js';
import type { TargetGroup } from '../discovery/interface.js';

/** What target label population needs of a job. */
export interface TargetJob {
  job_name: string;
  scheme: string;
  metrics_path: string;
  scrape_interval: number;
  scrape_timeout: number;
  params: Readonly<Record<string, readonly string[]>>;
  relabel_configs: readonly RelabelConfig[];
}

/** A discovered target after relabeling. */
export type PopulatedTarget =
  | { kind: 'dropped'; discovered: Labels }
  | { kind: 'invalid'; discovered: Labels; error: string }
  | {
      kind: 'active';
      discovered: Labels;
      /** Every label after relabeling, `__address__` and the other internal ones included. */
      internal: Labels;
      /** The labels attached to its samples: no `__` names. */
      labels: Labels;
      url: string;
      interval: number;
      timeout: number;
    };

/**
 * @example
 * populateTarget(group, group.targets[0], job);
 */
export function populateTarget(
  group: TargetGroup,
  target: Readonly<Record<string, string>>,
  job: TargetJob,
): PopulatedTarget {
  const merged: Record<string, string> = { ...group.labels, ...target };
  const defaults: [string, string][] = [
    ['job', job.job_name],
    ['__scrape_interval__', formatDuration(job.scrape_interval)],
    ['__scrape_timeout__', formatDuration(job.scrape_timeout)],
    ['__metrics_path__', job.metrics_path],
    ['__scheme__', job.scheme],
  ];
  for (const [name, values] of Object.entries(job.params)) {
    if (values.length > 0) defaults.push([`__param_${name}`, values[0]!]);
  }
  for (const [name, value] of defaults) {
    if (merged[name] === undefined || merged[name] === '') merged[name] = value;
  }
  const discovered = Labels.fromRecord(merged);
  const relabeled = relabel(discovered, job.relabel_configs);
  if (relabeled === null) return { kind: 'dropped', discovered };

  const invalid = (error: string): PopulatedTarget => ({ kind: 'invalid', discovered, error });
  const address = relabeled.get('__address__');
  if (address === '') return invalid('no address');
  if (!isValidAddress(address)) return invalid(`invalid address "${address}"`);
  const interval = parseDuration(relabeled.get('__scrape_interval__'));
  if (interval === undefined) {
    return invalid(`error parsing scrape interval: "${relabeled.get('__scrape_interval__')}"`);
  }
  const timeout = parseDuration(relabeled.get('__scrape_timeout__'));
  if (timeout === undefined) {
    return invalid(`error parsing scrape timeout: "${relabeled.get('__scrape_timeout__')}"`);
  }
  if (interval === 0) return invalid('scrape interval cannot be 0');
  if (timeout === 0) return invalid('scrape timeout cannot be 0');
  if (timeout > interval) {
    return invalid(
      `scrape timeout cannot be greater than scrape interval ("${formatDuration(timeout)}" > "${formatDuration(interval)}")`,
    );
  }

  const internal: [string, string][] = [];
  const visible: [string, string][] = [];
  relabeled.forEach((name, value) => {
    if (name.startsWith('__meta_')) return;
    internal.push([name, value]);
    if (!name.startsWith('__')) visible.push([name, value]);
  });
  if (!relabeled.has('instance')) {
    internal.push(['instance', address]);
    visible.push(['instance', address]);
  }
  const internalLabels = Labels.from(internal);
  return {
    kind: 'active',
    discovered,
    internal: internalLabels,
    labels: Labels.from(visible),
    url: targetUrl(internalLabels, job.params),
    interval,
    timeout,
  };
}

/** `host:port` or a bare host; no scheme, path, or whitespace (Prometheus' address check). */
function isValidAddress(address: string): boolean {
  return !/[/\s]/.test(address) && !address.includes('://');
}

/**
 * The scrape URL: scheme, address, path, and the job's `params` with each `__param_<name>`
 * label replacing that parameter's first value (or adding it).
 */
function targetUrl(labels: Labels, params: Readonly<Record<string, readonly string[]>>): string {
  const values = new Map(Object.entries(params).map(([k, v]) => [k, [...v]]));
  labels.forEach((name, value) => {
    if (!name.startsWith('__param_')) return;
    const key = name.slice('__param_'.length);
    const list = values.get(key);
    if (list !== undefined && list.length > 0) list[0] = value;
    else values.set(key, [value]);
  });
  const query = new URLSearchParams();
  for (const [k, list] of values) for (const v of list) query.append(k, v);
  const path = labels.get('__metrics_path__');
  const qs = query.toString();
  const slash = path.startsWith('/') ? '' : '/';
  return `${labels.get('__scheme__') || 'http'}://${labels.get('__address__')}${slash}${path}${qs === '' ? '' : `?${qs}`}`;
}
