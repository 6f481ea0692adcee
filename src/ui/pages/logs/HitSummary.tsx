/**
 * @module
 * A hit in one line when no columns are chosen, as Kibana's Document column: the message first
 * (the field people read), then every other field as `name: value`, highlighted where the query
 * matched.
 */
import type { LogHit } from '../../api/responseTypes/logs';
import { FieldText } from './FieldText';
import { flattenDoc } from './fieldValues';

/** The fields read as the line's text, first found wins. */
const MESSAGE_FIELDS = ['message', 'msg', 'log', 'event.original'];

/**
 * @example
 * <HitSummary hit={hit} />
 */
export function HitSummary({ hit }: { hit: LogHit }) {
  const leaves = flattenDoc(hit.source);
  const message = MESSAGE_FIELDS.find((f) =>
    leaves.some(([p, v]) => p === f && typeof v === 'string'),
  );
  const seen = new Set<string>();
  const rest = leaves.filter(([p]) => {
    if (p === message || p === '@timestamp' || seen.has(p)) return false;
    seen.add(p);
    return true;
  });
  return (
    <>
      {message !== undefined && (
        <span className="hit-message">
          <FieldText hit={hit} field={message} />
        </span>
      )}
      {rest.map(([path]) => (
        <span key={path} className="hit-field">
          <span className="hit-field-name">{path}:</span> <FieldText hit={hit} field={path} />
        </span>
      ))}
    </>
  );
}
