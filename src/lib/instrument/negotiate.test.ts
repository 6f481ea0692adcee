import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExpositionFormat } from './exposition.js';
import { negotiateFormat } from './negotiate.js';

test('negotiateFormat', () => {
  const f = (accept: string | undefined, want: ExpositionFormat) =>
    assert.equal(negotiateFormat(accept), want, `Accept: ${accept}`);
  // No header, curl, browsers: text.
  f(undefined, 'text');
  f('', 'text');
  f('*/*', 'text');
  f('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text');
  f('text/plain;version=0.0.4', 'text');
  f('application/json', 'text');
  // Prometheus 2.x default.
  f(
    'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
      'text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    'openmetrics',
  );
  // Prometheus 3.x default, with escaping parameters.
  f(
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,' +
      'application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,' +
      'text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    'openmetrics',
  );
  // Prometheus configured with scrape_protocols: [PrometheusText0.0.4, OpenMetricsText1.0.0].
  f(
    'text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,*/*;q=0.1',
    'text',
  );
  f('application/openmetrics-text; version=0.0.1', 'openmetrics');
  f('application/openmetrics-text', 'openmetrics');
  f('Application/OpenMetrics-Text; Version="1.0.0"', 'openmetrics');
  // Ties go to OpenMetrics, q=0 excludes, unknown versions are not ours to serve.
  f('text/plain;q=0.5,application/openmetrics-text;q=0.5', 'openmetrics');
  f('application/openmetrics-text;q=0,text/plain', 'text');
  f('application/openmetrics-text;q=0', 'text');
  f('application/openmetrics-text;version=2.0.0', 'text');
  f(
    'application/openmetrics-text;version=2.0.0,application/openmetrics-text;version=1.0.0;q=0.1',
    'openmetrics',
  );
  f('application/openmetrics-text;q=0.5,text/*;q=0.9', 'text');
  f('application/openmetrics-text;q=bogus,text/plain;q=0.1', 'text');
  f(' , ;q=1, application/openmetrics-text ;q=0.9 ', 'openmetrics');
});
