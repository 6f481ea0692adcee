/**
 * @module
 * promtool's wording for rule unit test failures, so `vigil test rules` output can be read
 * (and diffed) like `promtool test rules` output: label sets as Go prints them, sample values
 * in Go's `%E`-style shortest exponent form, durations as Prometheus prints them.
 */

/** A label or annotation set as sorted name/value pairs; empty values kept, as Go's `FromMap`. */
export type Pairs = readonly (readonly [string, string])[];

export function pairsOf(record: Readonly<Record<string, string>>): Pairs {
  return Object.entries(record).sort((a, b) => compareStrings(a[0], b[0]));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prometheus' `labels.Compare`: pair by pair, names then values, then length. */
export function comparePairs(a: Pairs, b: Pairs): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const d = compareStrings(a[i]![0], b[i]![0]) || compareStrings(a[i]![1], b[i]![1]);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** `{a="b", c="d"}` */
export function formatPairs(p: Pairs): string {
  return `{${p.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(', ')}}`;
}

/**
 * A float as Go's `strconv.FormatFloat(v, 'E', -1, 64)`.
 *
 * @example
 * formatFloatE(150); // '1.5E+02'
 */
export function formatFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const [mant, exp] = v.toExponential().split('e') as [string, string];
  const sign = exp.startsWith('-') ? '-' : '+';
  const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
  return `${mant}E${sign}${digits}`;
}

/** Prefixes every line but the first with `indent`, as promtool's `indentLines`. */
export function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

export interface AlertView {
  readonly labels: Pairs;
  readonly annotations: Pairs;
}

export function compareAlerts(a: AlertView, b: AlertView): number {
  return comparePairs(a.labels, b.labels) || comparePairs(a.annotations, b.annotations);
}

/** A list of alerts as promtool prints one: `[]`, or numbered entries. */
export function formatAlerts(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return '[]';
  const entries = alerts.map(
    (a, i) =>
      `${i}:` +
      indentLines(
        `\nLabels:${formatPairs(a.labels)}\nAnnotations:${formatPairs(a.annotations)}`,
        '  ',
      ),
  );
  return `[\n${entries.join(',\n')}\n]`;
}

export interface SampleView {
  readonly labels: Pairs;
  readonly value: number;
}

/** Samples as promtool prints them: `nil` for none, else `{labels} 1E+00, …`. */
export function formatSamples(samples: readonly SampleView[]): string {
  if (samples.length === 0) return 'nil';
  return samples.map((s) => `${formatPairs(s.labels)} ${formatFloatE(s.value)}`).join(', ');
}

/**
 * Milliseconds as Go's `time.Duration.String()` prints them, which promtool uses for the time
 * of a rule evaluation error (unlike eval_time, printed as a Prometheus duration).
 *
 * @example
 * formatGoDuration(120_000); // '2m0s'
 * formatGoDuration(90_500); // '1m30.5s'
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${Math.floor(rest / 1000)}${
    rest % 1000 === 0
      ? ''
      : `.${String(rest % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
  }s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}
