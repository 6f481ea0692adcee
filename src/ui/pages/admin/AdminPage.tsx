/**
 * @module
 * The admin page (`/admin`): users and API tokens, what `vigil user` and `vigil token` manage on
 * the command line. Only admins see it in the navigation; the API refuses everyone else anyway,
 * and this page says so instead of showing empty lists.
 */
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { isAdmin, useWhoami } from '../../state/useWhoami';
import { loadTokens, loadUsers } from './api';
import { TokensPanel } from './TokensPanel';
import { UsersPanel } from './UsersPanel';
import { useList } from './useList';
import '../../components/controls.css';
import './admin.css';

/**
 * @example
 * <AdminPage />
 */
export function AdminPage() {
  const who = useWhoami();
  if (who === undefined) return <p className="muted">Loading…</p>;
  if (who === null || !isAdmin(who)) {
    return (
      <div className="empty-state" data-testid="admin-refused">
        <strong>Users and tokens are managed by admins.</strong>
        <p>
          Ask an admin to change your role, or use `vigil user` and `vigil token` on the server.
        </p>
      </div>
    );
  }
  return <AdminLists me={who.kind === 'user' ? who.user : undefined} authOn={who.auth_enabled} />;
}

function AdminLists({ me, authOn }: { me: string | undefined; authOn: boolean }) {
  const [users, reloadUsers] = useList(loadUsers);
  const [tokens, reloadTokens] = useList(loadTokens);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  // Deleting a user revokes their tokens: both lists change.
  const reloadBoth = () => {
    reloadUsers();
    reloadTokens();
  };
  return (
    <>
      <div className="page-head">
        <h1>Users and API tokens</h1>
        {!authOn && (
          <p className="muted">
            Authentication is off (server.auth.enabled: false): these users and tokens take effect
            once it is turned on.
          </p>
        )}
      </div>
      <ErrorBanner errors={[users.error, tokens.error]} />
      {outcome !== undefined && (
        <p
          className={outcome.ok ? 'admin-outcome' : 'admin-outcome error-text'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="admin-outcome"
        >
          {outcome.text}
        </p>
      )}
      <div className="panel-grid">
        <UsersPanel poll={users} me={me} onChanged={reloadBoth} report={setOutcome} />
        <TokensPanel poll={tokens} onChanged={reloadTokens} report={setOutcome} />
      </div>
    </>
  );
}
