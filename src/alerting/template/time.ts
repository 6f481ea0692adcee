/**
 * @module
 * Go's `time.Time` and `time.Duration` as notification templates see them: `{{ .StartsAt }}`
 * prints Go's `2006-01-02 15:04:05.999999999 -0700 MST` form, `.StartsAt.Format "15:04"` and
 * the `date` function take Go's reference-time layouts, `tz` moves a time to an IANA zone
 * (offsets from the platform's time zone data), and durations print as `1h2m3.5s`.
 */

/** A point in time (ms since the epoch) in a zone; the zero time is Go's year 1. */
export class GoTime {
  /**
   * @param ms milliseconds since the epoch; {@link GO_ZERO_MS} for Go's zero time.
   * @param zone `UTC` or an IANA zone name.
   * @example
   * new GoTime(Date.UTC(2026, 0, 2, 3, 4, 5)).String(); // '2026-01-02 03:04:05 +0000 UTC'
   */
  constructor(
    readonly ms: number,
    readonly zone = 'UTC',
  ) {}

  /** Go's `Time.Format` with a reference-time layout (`2006-01-02T15:04:05Z07:00`). */
  Format(layout: unknown): string {
    return formatLayout(this, String(layout));
  }

  String(): string {
    return this.Format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  /** A bigint, so it prints as Go prints an int64 rather than as a float. */
  Unix(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }

  UnixMilli(): bigint {
    return BigInt(this.ms);
  }

  UTC(): GoTime {
    return new GoTime(this.ms);
  }

  IsZero(): boolean {
    return this.ms === GO_ZERO_MS;
  }

  toJSON(): string {
    return this.Format('2006-01-02T15:04:05.999999999Z07:00');
  }

  /** The zone's offset from UTC at this instant, in minutes, and its abbreviation. */
  offset(): { minutes: number; abbrev: string } {
    if (this.zone === 'UTC') return { minutes: 0, abbrev: 'UTC' };
    return zoneOffset(this.zone, this.ms);
  }
}

/** Go's zero `time.Time` (0001-01-01T00:00:00Z), which an unset `EndsAt` holds. */
export const GO_ZERO_MS = -62_135_596_800_000;

/**
 * A time as Go's `time.Duration` (ms), printed as Go prints one (`1h2m3.5s`, `150ms`).
 */
export class GoDuration {
  constructor(readonly ms: number) {}

  Seconds(): number {
    return this.ms / 1000;
  }

  Minutes(): number {
    return this.ms / 60_000;
  }

  Hours(): number {
    return this.ms / 3_600_000;
  }

  String(): string {
    let ms = this.ms;
    if (ms === 0) return '0s';
    const sign = ms < 0 ? '-' : '';
    ms = Math.abs(ms);
    if (ms < 1000) return `${sign}${trimFloat(ms)}ms`;
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const s = (ms % 60_000) / 1000;
    let out = sign;
    if (h > 0) out += `${h}h`;
    if (h > 0 || m > 0) out += `${m}m`;
    return `${out}${trimFloat(s)}s`;
  }
}

function trimFloat(v: number): string {
  return String(Number(v.toFixed(9)));
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The offset and abbreviation of IANA zone `zone` at `ms`.
 *
 * @throws when the platform does not know the zone (Go's "unknown time zone").
 */
export function zoneOffset(zone: string, ms: number): { minutes: number; abbrev: string } {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        timeZoneName: 'short',
      });
    } catch {
      throw new Error(`unknown time zone ${zone}`);
    }
    zoneFormats.set(zone, f);
  }
  // Dates before 1970 are clamped: zone rules of the year 1 mean nothing to a notification.
  const parts = Object.fromEntries(
    f.formatToParts(new Date(Math.max(ms, 0))).map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const minutes = Math.round((local - Math.floor(Math.max(ms, 0) / 1000) * 1000) / 60_000);
  let abbrev = parts.timeZoneName ?? zone;
  // Go prints a zone without an abbreviation as its numeric offset (`+0530`).
  if (/^(GMT|UTC)[+-]/.test(abbrev)) abbrev = offsetElement('-0700', minutes);
  if (abbrev === 'GMT' && minutes === 0 && zone !== 'GMT') abbrev = 'UTC';
  return { minutes, abbrev };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Go's layout elements, longest first where one is a prefix of another. */
const LAYOUT_RE =
  /January|Jan|Monday|Mon|MST|2006|Z07:00:00|Z07:00|Z0700|Z07|-07:00:00|-07:00|-0700|-07|[.,](?:0+|9+)(?!\d)|002|__2|_2|01|02|03|04|05|06|15|PM|pm|1|2|3|4|5/g;

/**
 * Formats `t` with Go's reference-time layout.
 *
 * @example
 * formatLayout(new GoTime(0), '2006-01-02T15:04:05Z07:00'); // '1970-01-01T00:00:00Z'
 */
export function formatLayout(t: GoTime, layout: string): string {
  const { minutes, abbrev } = t.offset();
  const d = new Date(t.ms + minutes * 60_000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const nanos = (((t.ms % 1000) + 1000) % 1000) * 1e6;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return layout.replace(LAYOUT_RE, (el) => {
    switch (el) {
      case 'January':
        return MONTHS[month]!;
      case 'Jan':
        return MONTHS[month]!.slice(0, 3);
      case 'Monday':
        return DAYS[d.getUTCDay()]!;
      case 'Mon':
        return DAYS[d.getUTCDay()]!.slice(0, 3);
      case 'MST':
        return abbrev;
      case '2006':
        return String(year).padStart(4, '0');
      case '06':
        return p2(year % 100);
      case '01':
        return p2(month + 1);
      case '1':
        return String(month + 1);
      case '02':
        return p2(day);
      case '2':
        return String(day);
      case '_2':
        return String(day).padStart(2, ' ');
      case '002':
        return String(yday).padStart(3, '0');
      case '__2':
        return String(yday).padStart(3, ' ');
      case '15':
        return p2(hour);
      case '03':
        return p2(hour % 12 === 0 ? 12 : hour % 12);
      case '3':
        return String(hour % 12 === 0 ? 12 : hour % 12);
      case '04':
        return p2(d.getUTCMinutes());
      case '4':
        return String(d.getUTCMinutes());
      case '05':
        return p2(d.getUTCSeconds());
      case '5':
        return String(d.getUTCSeconds());
      case 'PM':
        return hour >= 12 ? 'PM' : 'AM';
      case 'pm':
        return hour >= 12 ? 'pm' : 'am';
      case 'Z07:00':
      case 'Z0700':
      case 'Z07':
      case 'Z07:00:00':
        if (minutes === 0) return 'Z';
        return offsetElement(el.slice(1), minutes);
      default:
        if (el.startsWith('-')) return offsetElement(el, minutes);
        return fraction(el, nanos);
    }
  });
}

function offsetElement(el: string, minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  const mm = String(a % 60).padStart(2, '0');
  switch (el.replace(/^-/, '').replace(/^0/, '')) {
    case '7':
      return `${sign}${hh}`;
    case '700':
      return `${sign}${hh}${mm}`;
    case '7:00':
      return `${sign}${hh}:${mm}`;
    default:
      return `${sign}${hh}:${mm}:00`;
  }
}

/** `.000` prints exactly that many digits, `.999` as many as needed, none when zero. */
function fraction(el: string, nanos: number): string {
  const digits = el.length - 1;
  const all = String(nanos).padStart(9, '0').slice(0, digits);
  if (el[1] === '0') return `${el[0]}${all}`;
  const trimmed = all.replace(/0+$/, '');
  return trimmed === '' ? '' : `${el[0]}${trimmed}`;
}
