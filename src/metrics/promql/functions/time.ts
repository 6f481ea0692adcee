/**
 * @module
 * Time functions: `time()`, `timestamp(v)`, and the calendar functions (`hour`, `day_of_week`,
 * `days_in_month`, …) which read each value as Unix seconds (truncated to an integer, as Go's
 * `int64(v)`) in UTC, or the evaluation time when called without an argument. Calendar fields
 * come from integer arithmetic on days (proleptic Gregorian calendar), not from `Date`, so
 * years far outside `Date`'s range still work as in Go.
 */

import { evalVectorSelector } from '../eval-selector.js';
import type { Evaluator, Value } from '../evaluator.js';
import type { Call } from '../parser/ast.js';
import { StepSeries, mergeSameLabels, totalPoints } from '../step-series.js';
import type { CustomFunction, ElementwiseFunction } from './registry.js';

const DAY = 86_400;
/** Go converts out-of-range floats (and NaN) to the smallest int64 on amd64. */
const MIN_INT64 = -9223372036854775808;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Fields of the last {@link civil} call. */
const date = { year: 0, month: 0, day: 0, dayOfYear: 0, weekday: 0, hour: 0, minute: 0 };

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to January 1st of `y` (Howard Hinnant's days-from-civil). */
function daysToYear(y: number): number {
  const yy = y - 1;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  // January is month 11 of the March-based year before.
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + 306;
  return era * 146_097 + doe - 719_468;
}

/** Splits Unix seconds into UTC calendar fields (Howard Hinnant's civil-from-days). */
function civil(v: number): void {
  const sec = Number.isFinite(v) && Math.abs(v) < 2 ** 63 ? Math.trunc(v) : MIN_INT64;
  const days = Math.floor(sec / DAY);
  const secOfDay = sec - days * DAY;
  date.hour = Math.floor(secOfDay / 3600);
  date.minute = Math.floor((secOfDay % 3600) / 60);
  date.weekday = (((days + 4) % 7) + 7) % 7;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  date.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
  date.dayOfYear = days - daysToYear(date.year) + 1;
}

const calendar = (name: string, field: () => number): ElementwiseFunction => ({
  kind: 'elementwise',
  name,
  defaultsToTime: true,
  fn: (v) => {
    civil(v);
    return field();
  },
});

async function timestamp(ev: Evaluator, call: Call): Promise<Value> {
  const original = ev.state.budget.current;
  let arg = call.args[0]!;
  while (arg.type === 'ParenExpr') arg = arg.expr;
  let input: StepSeries[];
  if (arg.type === 'VectorSelector') {
    // The sample's own time; any other expression's samples carry the step time.
    input = await evalVectorSelector(ev, arg, true);
  } else {
    input = (await ev.evalVector(arg)).map((s) => {
      const o = new StepSeries(s.labels, s.length);
      for (let k = 0; k < s.length; k++) o.push(s.steps[k]!, ev.time(s.steps[k]!) / 1000);
      return o;
    });
  }
  for (const s of input) s.labels = s.labels.without('__name__');
  const out = mergeSameLabels(input);
  ev.state.budget.settle(original, totalPoints(out));
  return { type: 'vector', series: out };
}

function time(ev: Evaluator): Promise<Value> {
  const vals = new Float64Array(ev.numSteps);
  for (let i = 0; i < vals.length; i++) vals[i] = ev.time(i) / 1000;
  return Promise.resolve(ev.scalar(vals));
}

export const TIME_FUNCTIONS: readonly (ElementwiseFunction | CustomFunction)[] = [
  calendar('year', () => date.year),
  calendar('month', () => date.month),
  calendar('day_of_month', () => date.day),
  calendar('day_of_year', () => date.dayOfYear),
  calendar('day_of_week', () => date.weekday),
  calendar('hour', () => date.hour),
  calendar('minute', () => date.minute),
  calendar('days_in_month', () =>
    date.month === 2 && isLeap(date.year) ? 29 : MONTH_DAYS[date.month - 1]!,
  ),
  { kind: 'custom', name: 'timestamp', eval: timestamp },
  { kind: 'custom', name: 'time', eval: time },
];
