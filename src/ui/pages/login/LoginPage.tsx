/**
 * @module
 * The login page (`/login`): user name and password, posted to `/api/v1/auth/login`. On success
 * the browser holds the session cookie and the page loads `next` (a path on this origin) afresh,
 * so every page starts with the session in place. Failures say why — a wrong password, or how
 * long to wait after too many attempts.
 */
import { useState, type FormEvent } from 'react';
import { login, LoginError, safeNext } from './session';
import './LoginPage.css';

function explain(err: unknown): string {
  if (!(err instanceof LoginError)) return err instanceof Error ? err.message : String(err);
  if (err.httpStatus === 429) {
    const wait = err.retryAfterS === undefined ? 'a while' : `${err.retryAfterS} s`;
    return `Too many failed attempts. Try again in ${wait}.`;
  }
  if (err.httpStatus === 401) return 'Wrong user name or password.';
  return err.message;
}

/**
 * @example
 * <LoginPage />
 */
export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(username, password);
      const next = new URLSearchParams(window.location.search).get('next');
      window.location.assign(safeNext(next));
    } catch (err) {
      setError(explain(err));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <form
      className="panel login-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="login-title"
    >
      <h1 id="login-title">Log in to Vigil</h1>
      {error !== undefined && (
        <p className="error-banner" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <label>
        User name
        <input
          name="username"
          autoComplete="username"
          required
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
