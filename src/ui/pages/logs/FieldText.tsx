/**
 * @module
 * A field's value in the result list and the document view: the server's highlight when the
 * query matched in that field (matches in `<mark>`), the plain value otherwise. Highlights are
 * split into text and marks, never parsed as HTML.
 */
import type { LogHit } from '../../api/responseTypes/logs';
import { fieldText, getField, splitHighlight } from './fieldValues';

/**
 * @example
 * <FieldText hit={hit} field="message" />
 */
export function FieldText({ hit, field }: { hit: LogHit; field: string }) {
  const highlighted = hit.highlight?.[field];
  if (highlighted !== undefined && highlighted.length > 0) {
    return (
      <>
        {splitHighlight(highlighted.join(' … ')).map((part, i) =>
          part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
        )}
      </>
    );
  }
  return <>{fieldText(getField(hit.source, field))}</>;
}
