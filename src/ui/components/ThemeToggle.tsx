/**
 * @module
 * The theme switch in the top bar: cycles system → light → dark.
 */
import { setThemeChoice, useTheme, type ThemeChoice } from '../state/theme';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Auto', light: 'Light', dark: 'Dark' };

/**
 * @example
 * <ThemeToggle />
 */
export function ThemeToggle() {
  const { choice } = useTheme();
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      title={`Theme: ${LABEL[choice]} (click for ${LABEL[NEXT[choice]]})`}
      aria-label={`Theme: ${LABEL[choice]}. Switch to ${LABEL[NEXT[choice]]}`}
      onClick={() => setThemeChoice(NEXT[choice])}
    >
      {choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'} {LABEL[choice]}
    </button>
  );
}
