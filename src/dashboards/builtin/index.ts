/**
 * @module
 * The dashboards Vigil ships with, provisioned read-only at every start (turn off with
 * `dashboards.builtin: false`).
 */

import { KUBERNETES_DASHBOARD } from './kubernetes.js';
import { NODE_DASHBOARD } from './node.js';
import type { DashboardDoc } from './panels.js';
import { VIGIL_DASHBOARD } from './vigil.js';

export const BUILTIN_DASHBOARDS: readonly DashboardDoc[] = [
  KUBERNETES_DASHBOARD,
  NODE_DASHBOARD,
  VIGIL_DASHBOARD,
];
