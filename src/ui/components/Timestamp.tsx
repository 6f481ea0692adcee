/**
 * @module
 * An RFC 3339 time from the server, shown in UTC in a machine-readable `<time>` element; hovering
 * shows the same instant in the viewer's own time zone.
 */
import { formatTimestamp } from '../lib/formatTimestamp';

/**
 * Shows the string as received when it does not parse, so a malformed server value is visible
 * rather than hidden.
 *
 * @param props.value an RFC 3339 timestamp, e.g. `2025-11-30T06:41:02Z`
 * @example
 * <Timestamp value={runtimeInfo.startTime} />
 */
export function Timestamp({ value }: { value: string }) {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return <>{value}</>;
  return (
    <time dateTime={value} title={new Date(ms).toLocaleString()}>
      {formatTimestamp(ms)}
    </time>
  );
}
