/**
 * @module
 * A clock for components that display time passing (uptime, "3 minutes ago").
 */
import { useEffect, useState } from 'react';

/**
 * The browser's current time in epoch milliseconds, re-rendering the caller every `intervalMs`.
 * Use it in the smallest component that shows the time, so the tick re-renders only that.
 *
 * @example
 * const now = useNow(1000);
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
