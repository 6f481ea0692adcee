import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalContains, timePeriodSchema } from './time-interval.js';

function f(period: unknown, at: string, expected: boolean): void {
  const p = timePeriodSchema.parse(period);
  assert.equal(
    intervalContains([p], Date.parse(at)),
    expected,
    `${JSON.stringify(period)} at ${at}`,
  );
}

test('a period contains an instant when every field it sets does', () => {
  const office = {
    times: [{ start_time: '09:00', end_time: '17:00' }],
    weekdays: ['monday:friday'],
  };
  f(office, '2024-03-04T09:00:00Z', true); // Monday
  f(office, '2024-03-04T16:59:59Z', true);
  f(office, '2024-03-04T17:00:00Z', false); // end_time is exclusive
  f(office, '2024-03-09T10:00:00Z', false); // Saturday
  f({ ...office, location: 'Europe/Berlin' }, '2024-03-04T08:30:00Z', true); // 09:30 in Berlin
  f({ days_of_month: ['-1'] }, '2024-02-29T12:00:00Z', true); // last day of a leap February
  f({ days_of_month: ['-1'] }, '2024-02-28T12:00:00Z', false);
  f({ months: ['december'], years: ['2023:2024'] }, '2024-12-31T23:59:00Z', true);
  f({ months: ['december'], years: ['2023:2024'] }, '2025-12-01T00:00:00Z', false);
  f({}, '2024-03-04T00:00:00Z', true);
});
