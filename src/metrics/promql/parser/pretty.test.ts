import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr } from './parse.js';
import { prettyFormat } from './pretty.js';

// Expected texts are what Prometheus' /api/v1/format_query returns for the same queries.
const f = (input: string, want: string) =>
  assert.equal(prettyFormat(parseExpr(input)), want, input);

test('short expressions stay on one line', () => {
  f('sum(rate(x[5m]))by(job)', 'sum by (job) (rate(x[5m]))');
  f('-foo offset 5m', '-foo offset 5m');
});

test('long expressions split as Prometheus splits them', () => {
  f(
    'sum by (job, instance, namespace, pod, container) (rate(http_requests_total{job="apiserver", handler="/api/comments"}[5m]))',
    `sum by (job, instance, namespace, pod, container) (
  rate(http_requests_total{handler="/api/comments",job="apiserver"}[5m])
)`,
  );
  f(
    'topk(10, sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="", container!="POD", namespace=~"kube-.*"}[5m])))',
    `topk(
  10,
  sum by (namespace, pod) (
    rate(container_cpu_usage_seconds_total{container!="",container!="POD",namespace=~"kube-.*"}[5m])
  )
)`,
  );
  f(
    '(sum(rate(http_requests_total{job="apiserver", handler="/api/comments", code=~"5.."}[5m])) > bool 0) * on (job) group_left (instance) up',
    `  (sum(rate(http_requests_total{code=~"5..",handler="/api/comments",job="apiserver"}[5m])) > bool 0)
* on (job) group_left (instance)
  up`,
  );
  f(
    'a_very_long_metric_name_number_one{label="value"} + a_very_long_metric_name_number_two{label="value"} - 1',
    `    a_very_long_metric_name_number_one{label="value"}
  +
    a_very_long_metric_name_number_two{label="value"}
-
  1`,
  );
});
