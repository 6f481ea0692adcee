/**
 * @module
 * The server's uptime, ticking every second between refreshes. It is measured on the server's
 * clock (serverTime − startTime) and advanced by time elapsed on the browser's clock since that
 * answer arrived, so a skew between the two clocks cannot distort it.
 */
import { formatDuration } from '../../lib/formatDuration';
import { useNow } from '../../state/useNow';

/**
 * @param props.startTime RFC 3339 time the server process started
 * @param props.serverTime RFC 3339 time on the server when it answered
 * @param props.receivedAt browser epoch milliseconds when that answer arrived
 * @example
 * <Uptime startTime={info.startTime} serverTime={info.serverTime} receivedAt={receivedAt} />
 */
export function Uptime({
  startTime,
  serverTime,
  receivedAt,
}: {
  startTime: string;
  serverTime: string;
  receivedAt: number;
}) {
  const now = useNow(1000);
  const atAnswer = Date.parse(serverTime) - Date.parse(startTime);
  if (Number.isNaN(atAnswer)) return <>unknown (unreadable start or server time)</>;
  // A fresh answer can arrive between two ticks, making `now` slightly older than it.
  return <>{formatDuration(atAnswer + Math.max(0, now - receivedAt))}</>;
}
