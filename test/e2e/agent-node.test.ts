/**
 * The simulated node of issue 8 through the Vigil output (the native ingest API): 20 pods at
 * 5 000 lines/s for 36 s with kubelet-style rotation, the agent killed with SIGKILL three times
 * (once while the server is down, once while it sends the backlog) and the server stopped for
 * 30 s. Every line must be stored exactly once, in order, with its Kubernetes fields.
 */

import { test } from 'node:test';
import { runNodeScenario } from '../harness/node-scenario.js';

test(
  'agent ships every line of a rotating node exactly once through kills and a server outage',
  { timeout: 300_000 },
  (t) =>
    runNodeScenario(t, {
      output: 'vigil',
      runMs: 36_000,
      kills: [3_000, 18_000, 34_000],
      outageAt: 4_000,
      outageMs: 30_000,
    }),
);
