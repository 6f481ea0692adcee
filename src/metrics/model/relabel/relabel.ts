/**
 * @module
 * Applies relabel rules to a label set, with Prometheus 3's semantics: rules run in order, each
 * sees the labels the previous one left; a rule's input is the values of `source_labels` (an
 * absent label is '') joined by `separator`; setting a label to '' removes it; `keep`/`drop`/
 * `keepequal`/`dropequal` end the series. `replace` sets nothing when the regex does not match or
 * when the expanded `target_label` is not a valid label name — Prometheus 3's UTF-8 names, so only
 * an empty name is invalid (Prometheus 2 also refused names outside `[a-zA-Z_][a-zA-Z0-9_]*`).
 * `labelmap` likewise skips a name that expands to ''. `labelmap`, `labeldrop` and `labelkeep`
 * look at the labels as they were when the rule started, so a label `labelmap` creates is not
 * mapped again by the same rule.
 *
 * Changes are collected in a small map over the untouched input, so rules that change nothing
 * (filters, replacements that write the value already there) allocate no new label set.
 */

import { hash } from 'node:crypto';
import { Labels } from '../labels.js';
import { goToLower, goToUpper } from './case.js';
import { DEFAULT_REGEX, isValidLabelName, type RelabelConfig } from './config.js';
import { compileTemplate, expandTemplate, type Template } from './template.js';

/** A label set under change: the input plus overrides ('' marks a removal). */
class Scratch {
  readonly #base: Labels;
  #changes: Map<string, string> | null = null;

  constructor(base: Labels) {
    this.#base = base;
  }

  get(name: string): string {
    const changed = this.#changes?.get(name);
    return changed !== undefined ? changed : this.#base.get(name);
  }

  set(name: string, value: string): void {
    if (this.get(name) === value) return;
    (this.#changes ??= new Map()).set(name, value);
  }

  /** Visits the labels as they are now; `fn` may set and delete without affecting the visit. */
  forEach(fn: (name: string, value: string) => void): void {
    const snapshot = this.#changes === null ? null : new Map(this.#changes);
    this.#base.forEach((n, v) => {
      if (snapshot === null || !snapshot.has(n)) fn(n, v);
    });
    if (snapshot !== null) for (const [n, v] of snapshot) if (v !== '') fn(n, v);
  }

  result(): Labels {
    const changes = this.#changes;
    if (changes === null) return this.#base;
    const pairs: [string, string][] = [];
    this.#base.forEach((n, v) => {
      if (!changes.has(n)) pairs.push([n, v]);
    });
    for (const [n, v] of changes) if (v !== '') pairs.push([n, v]);
    const out = Labels.from(pairs);
    return out.key === this.#base.key ? this.#base : out;
  }
}

interface Templates {
  target: Template;
  replacement: Template;
}

// Parsed once per rule object; the schema's output stays plain data that prints back as YAML.
const templates = new WeakMap<RelabelConfig, Templates>();

function templatesOf(cfg: RelabelConfig): Templates {
  let t = templates.get(cfg);
  if (t === undefined) {
    t = {
      target: compileTemplate(cfg.target_label),
      replacement: compileTemplate(cfg.replacement),
    };
    templates.set(cfg, t);
  }
  return t;
}

function sourceValue(cfg: RelabelConfig, lb: Scratch): string {
  const names = cfg.source_labels;
  if (names.length === 0) return '';
  if (names.length === 1) return lb.get(names[0]!);
  let out = lb.get(names[0]!);
  for (let i = 1; i < names.length; i++) out += cfg.separator + lb.get(names[i]!);
  return out;
}

/** The last 8 bytes of the value's MD5, big-endian, modulo `modulus` — Prometheus' shard. */
function hashMod(value: string, modulus: number): string {
  const digest = hash('md5', value, 'buffer');
  const hi = digest.readUInt32BE(8);
  const lo = digest.readUInt32BE(12);
  // Below 2^26 every intermediate stays under 2^53; larger moduli need exact 64-bit arithmetic.
  if (modulus < 2 ** 26) return String(((hi % modulus) * (2 ** 32 % modulus) + lo) % modulus);
  return String(digest.readBigUInt64BE(8) % BigInt(modulus));
}

function replace(cfg: RelabelConfig, lb: Scratch, value: string): void {
  const t = templatesOf(cfg);
  // The default regex matches everything with group 1 the whole value: skip the engine.
  const match = cfg.regex === DEFAULT_REGEX ? [value, value] : cfg.regex.exec(value);
  if (match === null) return;
  const target = t.target.hasRefs ? expandTemplate(t.target, match) : cfg.target_label;
  if (!isValidLabelName(target)) return;
  lb.set(target, expandTemplate(t.replacement, match));
}

function labelMap(cfg: RelabelConfig, lb: Scratch): void {
  const t = templatesOf(cfg).replacement;
  lb.forEach((name, value) => {
    const match = cfg.regex.exec(name);
    if (match === null) return;
    const mapped = expandTemplate(t, match);
    if (mapped !== '') lb.set(mapped, value);
  });
}

/** Applies one rule; false when it drops the series. */
function apply(cfg: RelabelConfig, lb: Scratch): boolean {
  const value = sourceValue(cfg, lb);
  switch (cfg.action) {
    case 'keep':
      return cfg.regex.test(value);
    case 'drop':
      return !cfg.regex.test(value);
    case 'keepequal':
      return lb.get(cfg.target_label) === value;
    case 'dropequal':
      return lb.get(cfg.target_label) !== value;
    case 'replace':
      replace(cfg, lb, value);
      return true;
    case 'lowercase':
      lb.set(cfg.target_label, goToLower(value));
      return true;
    case 'uppercase':
      lb.set(cfg.target_label, goToUpper(value));
      return true;
    case 'hashmod':
      lb.set(cfg.target_label, hashMod(value, cfg.modulus));
      return true;
    case 'labelmap':
      labelMap(cfg, lb);
      return true;
    case 'labeldrop':
      lb.forEach((name) => {
        if (cfg.regex.test(name)) lb.set(name, '');
      });
      return true;
    case 'labelkeep':
      lb.forEach((name) => {
        if (!cfg.regex.test(name)) lb.set(name, '');
      });
      return true;
  }
}

/**
 * Applies `configs` in order to `labels`. Returns null when a rule drops the series, otherwise
 * the resulting set — the same `Labels` object when nothing changed. Pure: `labels` and the
 * rules are not modified, and the rules may be shared between concurrent callers.
 *
 * @example
 * const rules = relabelConfigsSchema.parse([
 *   { source_labels: ['__address__'], regex: '(.*):\\d+', target_label: 'host' },
 *   { action: 'drop', source_labels: ['env'], regex: 'dev' },
 * ]);
 * relabel(Labels.fromRecord({ __address__: 'db1:9100', env: 'prod' }), rules)?.get('host'); // 'db1'
 * relabel(Labels.fromRecord({ env: 'dev' }), rules); // null
 */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | null {
  if (configs.length === 0) return labels;
  const lb = new Scratch(labels);
  for (const cfg of configs) if (!apply(cfg, lb)) return null;
  return lb.result();
}
