/**
 * @module
 * A coloured pill for a state word. Colour carries the severity at a glance; the text carries the
 * meaning, so the badge reads the same without colour.
 */
import type { ReactNode } from 'react';

/** Severity of a state: which colour the badge gets. */
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

/**
 * @param props.tone severity, mapped to a colour in styles.css (`.badge-ok` …)
 * @example
 * <StateBadge tone="ok">running</StateBadge>
 */
export function StateBadge({
  tone,
  children,
  ...dataProps
}: {
  tone: Tone;
  children: ReactNode;
  'data-testid'?: string;
  'data-state'?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} {...dataProps}>
      {children}
    </span>
  );
}
