/**
 * @module
 * "API tokens": the tokens agents, remote-write senders and Grafana authenticate with. Creating
 * one shows its secret once — the server keeps only a hash — with a button to copy it; revoking
 * one refuses its next request.
 */
import { useState, type FormEvent } from 'react';
import { SCOPES, type CreatedToken, type Scope, type Token } from '../../api/responseTypes/auth';
import { Panel } from '../../components/Panel';
import { Timestamp } from '../../components/Timestamp';
import type { PollState } from '../../state/usePoll';
import { createToken, reasonOf, revokeToken } from './api';
import { ConfirmButton } from '../../components/ConfirmButton';

type Report = (outcome: { ok: boolean; text: string }) => void;

/** What each scope lets a token do, for the checkboxes' hints. */
const SCOPE_HINTS: Record<Scope, string> = {
  read: 'queries, searches, status',
  'logs:write': 'log ingest (agents, _bulk, Loki push)',
  'metrics:write': 'remote write, Pushgateway pushes',
  admin: 'everything, users and tokens included',
};

function NewSecret({ created, onDismiss }: { created: CreatedToken; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="token-secret" role="status" data-testid="token-secret">
      <p>
        Token <strong>{created.name}</strong> created. Copy its secret now: it is not shown again.
      </p>
      <div className="control-group">
        <code data-testid="token-secret-value">{created.token}</code>
        <button
          type="button"
          className="control-button"
          onClick={() =>
            void navigator.clipboard?.writeText(created.token).then(() => setCopied(true))
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="control-button" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}

/**
 * @param props.onChanged reloads the list after a change
 * @example
 * <TokensPanel poll={tokens} onChanged={reloadTokens} report={setOutcome} />
 */
export function TokensPanel({
  poll,
  onChanged,
  report,
}: {
  poll: PollState<Token[]>;
  onChanged: () => void;
  report: Report;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['logs:write']);
  const [expiresIn, setExpiresIn] = useState('');
  const [created, setCreated] = useState<CreatedToken | undefined>();
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((prev) => (on ? [...prev, scope] : prev.filter((s) => s !== scope)));
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setCreated(await createToken(name.trim(), scopes, expiresIn.trim()));
      setName('');
      onChanged();
    } catch (err) {
      report({ ok: false, text: reasonOf(err) });
    }
  };
  const revoke = async (token: Token) => {
    try {
      await revokeToken(token.id);
      report({ ok: true, text: `Token ${token.name} revoked.` });
      onChanged();
    } catch (err) {
      report({ ok: false, text: reasonOf(err) });
    }
  };
  return (
    <Panel title="API tokens" poll={poll} wide>
      {(tokens) => (
        <>
          <form className="toolbar" aria-label="Create token" onSubmit={(e) => void create(e)}>
            <input
              className="control-input"
              aria-label="Token name"
              placeholder="Token name, e.g. agent-prod"
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <fieldset className="scope-choices">
              <legend className="control-label">Scopes</legend>
              {SCOPES.map((s) => (
                <label key={s} title={SCOPE_HINTS[s]}>
                  <input
                    type="checkbox"
                    checked={scopes.includes(s)}
                    onChange={(e) => toggle(s, e.target.checked)}
                  />{' '}
                  {s}
                </label>
              ))}
            </fieldset>
            <input
              className="control-input"
              aria-label="Expires in"
              placeholder="Expires in (90d), empty: never"
              value={expiresIn}
              onChange={(e) => setExpiresIn(e.target.value)}
            />
            <button
              type="submit"
              className="control-button primary"
              disabled={name.trim() === '' || scopes.length === 0}
            >
              Create token
            </button>
          </form>
          {created !== undefined && (
            <NewSecret created={created} onDismiss={() => setCreated(undefined)} />
          )}
          {tokens.length === 0 ? (
            <p className="muted">No tokens yet.</p>
          ) : (
            <div className="table-scroll">
              <table className="table" data-testid="tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">ID</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <tr key={t.id} data-testid="token-row" data-token={t.name}>
                      <th scope="row">{t.name}</th>
                      <td data-testid="token-scopes">{t.scopes.join(', ')}</td>
                      <td>{t.owner}</td>
                      <td>
                        <Timestamp value={t.created} />
                      </td>
                      <td>
                        {t.expires === null ? (
                          <span className="muted">never</span>
                        ) : (
                          <Timestamp value={t.expires} />
                        )}
                      </td>
                      <td>
                        <code>{t.id}</code>
                      </td>
                      <td className="row-actions">
                        <ConfirmButton
                          label="Revoke"
                          confirm={`Revoke ${t.name}?`}
                          onConfirm={() => revoke(t)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
