/**
 * @module
 * "Users": every local user with their role, and the admin's changes — add a user, change a
 * role, set a password (which ends that user's sessions), delete a user (which also revokes the
 * tokens they own). The server refuses to remove or demote the last admin and says so here.
 */
import { useState, type FormEvent } from 'react';
import { ROLES, type Role, type User } from '../../api/responseTypes/auth';
import { Panel } from '../../components/Panel';
import { Timestamp } from '../../components/Timestamp';
import type { PollState } from '../../state/usePoll';
import { addUser, deleteUser, reasonOf, setPassword, setRole } from './api';
import { ConfirmButton } from '../../components/ConfirmButton';

type Report = (outcome: { ok: boolean; text: string }) => void;

function RoleSelect({
  value,
  onChange,
  label,
}: {
  value: Role;
  onChange: (role: Role) => void;
  label: string;
}) {
  return (
    <select
      className="control-select"
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}

function UserRow({ user, me, report }: { user: User; me: string | undefined; report: Report }) {
  const [password, setPasswordText] = useState<string | undefined>();
  const run = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      report({ ok: true, text: done });
    } catch (err) {
      report({ ok: false, text: reasonOf(err) });
    }
  };
  const savePassword = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => setPassword(user.name, password ?? ''), `Password of ${user.name} changed.`);
    setPasswordText(undefined);
  };
  return (
    <tr data-testid="user-row" data-user={user.name}>
      <th scope="row">
        {user.name}
        {user.name === me && <span className="muted"> (you)</span>}
      </th>
      <td>
        <RoleSelect
          label={`Role of ${user.name}`}
          value={user.role}
          onChange={(role) =>
            void run(() => setRole(user.name, role), `${user.name} is now ${role}.`)
          }
        />
      </td>
      <td>
        <Timestamp value={user.created} />
      </td>
      <td className="row-actions">
        {password === undefined ? (
          <button type="button" className="control-button" onClick={() => setPasswordText('')}>
            Set password
          </button>
        ) : (
          <form className="control-group" onSubmit={(e) => void savePassword(e)}>
            <input
              className="control-input"
              type="password"
              autoComplete="new-password"
              aria-label={`New password for ${user.name}`}
              value={password}
              onChange={(e) => setPasswordText(e.target.value)}
            />
            <button type="submit" className="control-button primary">
              Save
            </button>
            <button
              type="button"
              className="control-button"
              onClick={() => setPasswordText(undefined)}
            >
              Cancel
            </button>
          </form>
        )}
        <ConfirmButton
          label="Delete"
          confirm={`Delete ${user.name}?`}
          onConfirm={() => run(() => deleteUser(user.name), `${user.name} deleted.`)}
        />
      </td>
    </tr>
  );
}

/**
 * @param props.me the logged-in user, marked in the list
 * @param props.onChanged reloads the list after a change
 * @example
 * <UsersPanel poll={users} me="admin" onChanged={reloadUsers} report={setOutcome} />
 */
export function UsersPanel({
  poll,
  me,
  onChanged,
  report,
}: {
  poll: PollState<User[]>;
  me: string | undefined;
  onChanged: () => void;
  report: Report;
}) {
  const [name, setName] = useState('');
  const [role, setNewRole] = useState<Role>('viewer');
  const [password, setPasswordText] = useState('');
  const changed: Report = (outcome) => {
    report(outcome);
    onChanged();
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await addUser(name.trim(), role, password);
      changed({ ok: true, text: `User ${name.trim()} added.` });
      setName('');
      setPasswordText('');
    } catch (err) {
      report({ ok: false, text: reasonOf(err) });
    }
  };
  return (
    <Panel title="Users" poll={poll} wide>
      {(users) => (
        <>
          <form className="toolbar" aria-label="Add user" onSubmit={(e) => void add(e)}>
            <input
              className="control-input"
              aria-label="User name"
              placeholder="User name"
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <RoleSelect label="Role" value={role} onChange={setNewRole} />
            <input
              className="control-input"
              type="password"
              aria-label="Password"
              placeholder="Password (8+ characters)"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPasswordText(e.target.value)}
            />
            <button type="submit" className="control-button primary" disabled={name.trim() === ''}>
              Add user
            </button>
          </form>
          <div className="table-scroll">
            <table className="table" data-testid="users">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <UserRow key={u.name} user={u} me={me} report={changed} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  );
}
