/**
 * @module
 * The saved searches menu of Discover: save the current view (query, indices, time range,
 * columns, order) under a name, and list, open or delete the saved ones. They live on the
 * server, so everyone sees the same list. Saving under a name that exists offers to replace it.
 * Viewers only open them: the save form and delete buttons show to editors and admins.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { mayWrite, useWhoami } from '../../state/useWhoami';
import type { LogsUrlState } from './urlState';
import {
  createSavedSearch,
  deleteSavedSearch,
  listSavedSearches,
  replaceSavedSearch,
} from './savedSearches';
import { fromSavedSearch, showsSaved, toSavedSearch, type SavedSearch } from './savedSearchView';

function reasonOf(err: unknown): string {
  if (err instanceof ApiError) return err.serverError ?? err.detail;
  return err instanceof Error ? err.message : String(err);
}

/**
 * @param props.state the page's current view
 * @param props.onOpen applies a saved view to the page
 * @example
 * <SavedSearches state={state} onOpen={(change) => update(change)} />
 */
export function SavedSearches({
  state,
  onOpen,
}: {
  state: LogsUrlState;
  onOpen: (change: Partial<LogsUrlState>) => void;
}) {
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<SavedSearch[] | undefined>();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const [taken, setTaken] = useState<SavedSearch | undefined>();
  const [generation, setGeneration] = useState(0);
  const writer = mayWrite(useWhoami());

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    listSavedSearches(controller.signal).then(setList, (err: unknown) => {
      if (!controller.signal.aborted) setMessage({ ok: false, text: reasonOf(err) });
    });
    return () => controller.abort();
  }, [open, generation]);

  const current = list?.find((s) => showsSaved(state, s));
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTaken(undefined);
    const body = toSavedSearch(name, state);
    try {
      await createSavedSearch(body);
      setMessage({ ok: true, text: `Saved as “${body.name}”.` });
      setName('');
      setGeneration((g) => g + 1);
    } catch (err) {
      const existing = list?.find((s) => s.name.toLowerCase() === body.name.toLowerCase());
      if (err instanceof ApiError && err.httpStatus === 409 && existing !== undefined) {
        setTaken(existing);
        setMessage({ ok: false, text: `A saved search named “${existing.name}” exists.` });
      } else setMessage({ ok: false, text: reasonOf(err) });
    }
  };
  const replace = async (target: SavedSearch) => {
    try {
      await replaceSavedSearch(target.id, toSavedSearch(target.name, state));
      setMessage({ ok: true, text: `“${target.name}” replaced.` });
      setTaken(undefined);
      setName('');
      setGeneration((g) => g + 1);
    } catch (err) {
      setMessage({ ok: false, text: reasonOf(err) });
    }
  };
  const remove = async (target: SavedSearch) => {
    try {
      await deleteSavedSearch(target.id);
      setMessage({ ok: true, text: `“${target.name}” deleted.` });
      setGeneration((g) => g + 1);
    } catch (err) {
      setMessage({ ok: false, text: reasonOf(err) });
    }
  };

  return (
    <div className="saved-searches">
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls="saved-searches-menu"
        onClick={() => setOpen(!open)}
        data-testid="saved-searches-button"
      >
        {current === undefined ? 'Saved searches' : `★ ${current.name}`}
      </button>
      {open && (
        <div
          id="saved-searches-menu"
          className="saved-searches-menu"
          role="dialog"
          aria-label="Saved searches"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {writer && (
            <form className="control-group" onSubmit={(e) => void save(e)}>
              <input
                className="control-input"
                aria-label="Name of the saved search"
                placeholder="Save this search as…"
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoFocus
              />
              <button
                type="submit"
                className="control-button primary"
                disabled={name.trim() === ''}
              >
                Save
              </button>
            </form>
          )}
          {message !== undefined && (
            <p
              className={message.ok ? 'muted' : 'error-text'}
              role={message.ok ? 'status' : 'alert'}
              data-testid="saved-search-message"
            >
              {message.text}{' '}
              {taken !== undefined && (
                <button
                  type="button"
                  className="control-button"
                  onClick={() => void replace(taken)}
                >
                  Replace it
                </button>
              )}
            </p>
          )}
          {list === undefined ? (
            <p className="muted">Loading…</p>
          ) : list.length === 0 ? (
            <p className="muted">No saved searches yet.</p>
          ) : (
            <ul className="saved-search-list" data-testid="saved-search-list">
              {list.map((s) => (
                <li key={s.id} data-saved-search={s.name}>
                  <button
                    type="button"
                    className="link-button"
                    aria-current={s === current ? 'true' : undefined}
                    onClick={() => {
                      onOpen(fromSavedSearch(s));
                      setOpen(false);
                    }}
                    title={`${s.query || 'everything'} · ${s.from} → ${s.to}`}
                  >
                    {s.name}
                  </button>
                  <code className="saved-search-query">{s.query || '*'}</code>
                  {writer && (
                    <ConfirmButton
                      label="Delete"
                      confirm={`Delete ${s.name}?`}
                      onConfirm={() => remove(s)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
