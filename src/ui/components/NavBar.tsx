/**
 * @module
 * The top bar: the Vigil mark and one entry per product section. Sections that a later version
 * will bring are listed, so the shape of the product is visible, but they are plain text marked
 * `aria-disabled` rather than links to pages that would not work. Admin sections show only to
 * those who may use them (an admin, or anyone while auth is off).
 */
import markUrl from '../images/vigil-mark.svg';
import { Link } from './Link';
import { isAdmin, useWhoami } from '../state/useWhoami';
import { ThemeToggle } from './ThemeToggle';

type NavSection =
  | { label: string; path: string; adminOnly?: boolean }
  | { label: string; path?: never; adminOnly?: never };

const SECTIONS: readonly NavSection[] = [
  { label: 'Logs', path: '/logs' },
  { label: 'Metrics', path: '/graph' },
  { label: 'Dashboards', path: '/dashboards' },
  { label: 'Alerts', path: '/alerts' },
  { label: 'Targets', path: '/targets' },
  { label: 'Status', path: '/status' },
  { label: 'Admin', path: '/admin', adminOnly: true },
];

const UNAVAILABLE_HINT = 'Arrives in a later version';

/**
 * @param props.path the current path, to mark the active section with `aria-current`
 * @example
 * <NavBar path={usePath()} />
 */
export function NavBar({ path }: { path: string }) {
  const admin = isAdmin(useWhoami());
  const sections = SECTIONS.filter((s) => admin || s.adminOnly !== true);
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        <img src={markUrl} alt="" width="24" height="24" />
        Vigil
      </Link>
      <nav aria-label="Main">
        <ul className="nav-list">
          {sections.map((section) => (
            <li key={section.label}>
              {section.path === undefined ? (
                <span className="nav-item" aria-disabled="true" title={UNAVAILABLE_HINT}>
                  {section.label}
                </span>
              ) : (
                <Link
                  to={section.path}
                  className="nav-item"
                  aria-current={path === section.path ? 'page' : undefined}
                >
                  {section.label}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <ThemeToggle />
    </header>
  );
}
