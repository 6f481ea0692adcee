/**
 * @module
 * `time`: the system clock, the local time zone's offset, and the kernel's clock sources.
 *
 * The `time_zone` label is the zone abbreviation as `Intl` prints it in en-US; for zones without
 * a common English abbreviation that is `GMT+1` where node_exporter (Go's tzdata) says `CET`.
 */
import { readdirSync } from 'node:fs';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { gauge, readOptional, type Series } from '../families.js';

const MS_PER_S = 1000;
const S_PER_MIN = 60;

/**
 * @example
 * timeCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function timeCollector(paths: KernelPaths): ExporterCollector {
  // Building a formatter costs ~0.4 ms, more than the rest of the collector; the zone it reads
  // comes from V8, which caches the time zone for the life of the process, so one is enough.
  const zoneFormat = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  return {
    name: 'time',
    collect: () => {
      const now = new Date();
      const zone =
        zoneFormat.formatToParts(now).find((p) => p.type === 'timeZoneName')?.value ?? '';
      const { available, current } = clocksources(`${paths.sys}/devices/system/clocksource`);
      return [
        gauge(
          'node_time_seconds',
          'System time in seconds since epoch (1970).',
          now.getTime() / MS_PER_S,
        ),
        gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.', [
          { labels: [['time_zone', zone]], value: -now.getTimezoneOffset() * S_PER_MIN },
        ]),
        gauge(
          'node_time_clocksource_available_info',
          "Available clocksources read from '/sys/devices/system/clocksource'.",
          available,
        ),
        gauge(
          'node_time_clocksource_current_info',
          "Current clocksource read from '/sys/devices/system/clocksource'.",
          current,
        ),
      ];
    },
  };
}

function clocksources(dir: string): { available: Series[]; current: Series[] } {
  const available: Series[] = [];
  const current: Series[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return { available, current };
  }
  for (const entry of entries) {
    if (!entry.startsWith('clocksource')) continue;
    const device = entry.slice('clocksource'.length);
    for (const name of (readOptional(`${dir}/${entry}/available_clocksource`) ?? '')
      .trim()
      .split(/\s+/)) {
      if (name !== '')
        available.push({
          labels: [
            ['clocksource', name],
            ['device', device],
          ],
          value: 1,
        });
    }
    const cur = readOptional(`${dir}/${entry}/current_clocksource`)?.trim();
    if (cur)
      current.push({
        labels: [
          ['clocksource', cur],
          ['device', device],
        ],
        value: 1,
      });
  }
  return { available, current };
}
