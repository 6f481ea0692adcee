/**
 * The simulated node of issue 8 through the Elasticsearch output into Vigil's `_bulk` API, in a
 * shorter run than agent-node.test.ts (the same code paths up to the output): 20 s of 5 000
 * lines/s with kubelet-style rotation, two SIGKILLs of the agent and a 10 s server outage.
 * Every line must be stored exactly once (bulk `create` with the record's id), in order.
 */

import { test } from 'node:test';
import { runNodeScenario } from '../harness/node-scenario.js';

test(
  'agent ships every line exactly once through the Elasticsearch output',
  { timeout: 300_000 },
  (t) =>
    runNodeScenario(t, {
      output: 'elasticsearch',
      runMs: 20_000,
      kills: [3_000, 10_000],
      outageAt: 6_000,
      outageMs: 10_000,
    }),
);
