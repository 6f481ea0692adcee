/**
 * @module
 * The app shell: the navigation bar and the page for the current path. Routing is a lookup of
 * the exact path in {@link ROUTES}; the app has too few pages, none with parameters yet, to need
 * a router library.
 */
import type { ComponentType } from 'react';
import { lazy, Suspense, useEffect } from 'react';
import { NavBar } from './components/NavBar';
import { LoginPage } from './pages/login/LoginPage';
import { LogsPage } from './pages/logs/LogsPage';
import { NotFoundPage } from './pages/notFound/NotFoundPage';
import { StatusPage } from './pages/status/StatusPage';
import { navigate, usePath } from './state/location';

// Pages load on first visit: the editor and the charts alone are most of the app's code.
const ExplorePage = lazy(() =>
  import('./pages/metrics/ExplorePage').then((m) => ({ default: m.ExplorePage })),
);
const TargetsPage = lazy(() =>
  import('./pages/targets/TargetsPage').then((m) => ({ default: m.TargetsPage })),
);
const DashboardsPage = lazy(() =>
  import('./pages/dashboards/DashboardsPage').then((m) => ({ default: m.DashboardsPage })),
);
const AdminPage = lazy(() =>
  import('./pages/admin/AdminPage').then((m) => ({ default: m.AdminPage })),
);
const AlertsPage = lazy(() =>
  import('./pages/alerts/AlertsPage').then((m) => ({ default: m.AlertsPage })),
);

const ROUTES: ReadonlyMap<string, ComponentType> = new Map<string, ComponentType>([
  ['/status', StatusPage],
  ['/logs', LogsPage],
  ['/login', LoginPage],
  // Prometheus' path for its graph page, so alert generatorURLs and Prometheus links open here
  // (and `/metrics` is the server's own exposition endpoint).
  ['/graph', ExplorePage],
  ['/targets', TargetsPage],
  ['/alerts', AlertsPage],
  ['/dashboards', DashboardsPage],
  ['/admin', AdminPage],
]);

/** Where `/` leads: Discover, where a day with Vigil starts (as in Kibana). */
const HOME = '/logs';

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
    // The query string is page state (e.g. /graph?g0.expr=…): keep it across the redirect.
    if (canonical !== path) navigate(canonical + window.location.search, { replace: true });
  }, [canonical, path]);

  const Page = ROUTES.get(canonical);
  return (
    <>
      <NavBar path={canonical} />
      <main className="page">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {Page ? <Page /> : <NotFoundPage path={path} />}
        </Suspense>
      </main>
    </>
  );
}
