/**
 * @module
 * The app shell: the navigation bar and the page for the current path. Routing is a lookup of
 * the exact path in {@link ROUTES}; the app has too few pages, none with parameters yet, to need
 * a router library.
 */
import type { ComponentType } from 'react';
import { useEffect } from 'react';
import { NavBar } from './components/NavBar';
import { LogsPage } from './pages/logs/LogsPage';
import { NotFoundPage } from './pages/notFound/NotFoundPage';
import { StatusPage } from './pages/status/StatusPage';
import { navigate, usePath } from './state/location';

const ROUTES: ReadonlyMap<string, ComponentType> = new Map([
  ['/status', StatusPage],
  ['/logs', LogsPage],
]);

/** Where `/` leads while Status is the only working page. */
const HOME = '/status';

/** The path a URL's page is known by: trailing slashes dropped (`/status/` is `/status`), `/` → home. */
function canonicalPath(path: string): string {
  return path.replace(/\/+$/, '') || HOME;
}

/**
 * @example
 * createRoot(container).render(<App />);
 */
export function App() {
  const path = usePath();
  const canonical = canonicalPath(path);

  useEffect(() => {
    // Replace, not push: the back button should not return to a URL that only redirects.
    if (canonical !== path) navigate(canonical, { replace: true });
  }, [canonical, path]);

  const Page = ROUTES.get(canonical);
  return (
    <>
      <NavBar path={canonical} />
      <main className="page">{Page ? <Page /> : <NotFoundPage path={path} />}</main>
    </>
  );
}
