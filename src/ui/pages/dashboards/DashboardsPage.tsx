/**
 * @module
 * `/dashboards`: the list, or with `?uid=` one dashboard.
 */
import { useSearch } from '../../state/url-state';
import { DashboardList } from './DashboardList';
import { DashboardView } from './DashboardView';
import { parseDashboardSearch } from './dashboard-url';
import './dashboards.css';

export function DashboardsPage() {
  const url = parseDashboardSearch(useSearch());
  return url.uid === null ? <DashboardList /> : <DashboardView key={url.uid} url={url} />;
}
