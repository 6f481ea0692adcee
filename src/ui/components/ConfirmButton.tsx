/**
 * @module
 * A destructive action in two clicks: the first turns the button into "confirm / cancel" in
 * place, so nothing is deleted by a stray click and no browser dialog interrupts the page.
 */
import { useState } from 'react';
import './controls.css';

/**
 * @example
 * <ConfirmButton label="Revoke" confirm="Revoke ci-agent?" onConfirm={() => revoke(id)} />
 */
export function ConfirmButton({
  label,
  confirm,
  onConfirm,
}: {
  label: string;
  /** The question shown once armed; also the confirm button's accessible name. */
  confirm: string;
  onConfirm: () => Promise<void> | void;
}) {
  const [armed, setArmed] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!armed) {
    return (
      <button type="button" className="control-button danger" onClick={() => setArmed(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="control-group">
      <button
        type="button"
        className="control-button danger"
        aria-label={confirm}
        title={confirm}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void Promise.resolve(onConfirm()).finally(() => {
            setBusy(false);
            setArmed(false);
          });
        }}
      >
        Confirm {label.toLowerCase()}
      </button>
      <button type="button" className="control-button" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  );
}
