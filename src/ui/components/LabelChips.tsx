/**
 * @module
 * A label set as a row of `name="value"` chips, sorted by name, `__name__` first.
 */

/**
 * @param props.labels the label set
 * @param props.testId for browser tests
 * @example
 * <LabelChips labels={{ job: 'vigil', instance: 'a:1' }} />
 */
export function LabelChips({
  labels,
  testId,
}: {
  labels: Readonly<Record<string, string>>;
  testId?: string;
}) {
  const names = Object.keys(labels).sort((a, b) =>
    a === '__name__' ? -1 : b === '__name__' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  if (names.length === 0) return <span className="muted">no labels</span>;
  return (
    <ul className="label-list" data-testid={testId}>
      {names.map((name) => (
        <li key={name} className="label-chip">
          {name}={JSON.stringify(labels[name])}
        </li>
      ))}
    </ul>
  );
}
