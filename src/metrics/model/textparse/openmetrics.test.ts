import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, runParserContract } from './parser.contract.js';

runParserContract('openmetrics');

const f = (body: string, want: string[]) => assert.deepEqual(collect('openmetrics', body), want);

test('openmetrics: the spec example reads whole', () => {
  f(
    [
      '# TYPE acme_http_router_request_seconds summary',
      '# UNIT acme_http_router_request_seconds seconds',
      "# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.",
      'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32',
      'acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0',
      'acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0',
      '# TYPE go_goroutines gauge',
      'go_goroutines 69',
      '# TYPE process_cpu_seconds counter',
      '# UNIT process_cpu_seconds seconds',
      'process_cpu_seconds_total 4.20072246e+06',
      '# EOF',
    ].join('\n'),
    [
      'type acme_http_router_request_seconds summary',
      'unit acme_http_router_request_seconds seconds',
      `help acme_http_router_request_seconds "Latency though all of ACME's HTTP request router."`,
      'series acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} {__name__="acme_http_router_request_seconds_sum", method="GET", path="/api/v1"} 9036.32',
      'series acme_http_router_request_seconds_count{path="/api/v1",method="GET"} {__name__="acme_http_router_request_seconds_count", method="GET", path="/api/v1"} 807283',
      'series acme_http_router_request_seconds_created{path="/api/v1",method="GET"} {__name__="acme_http_router_request_seconds_created", method="GET", path="/api/v1"} 1605281325',
      'type go_goroutines gauge',
      'series go_goroutines {__name__="go_goroutines"} 69',
      'type process_cpu_seconds counter',
      'unit process_cpu_seconds seconds',
      'series process_cpu_seconds_total {__name__="process_cpu_seconds_total"} 4200722.46',
      'eof',
    ],
  );
});

test('openmetrics: float-second timestamps become truncated milliseconds', () => {
  f('m 1 1520879607.789\nm 1 -1.5\nm 1 -0.0004\nm 1 1e3\nm 1 0\n# EOF\n', [
    'series m {__name__="m"} 1 @1520879607789',
    'series m {__name__="m"} 1 @-1500',
    'series m {__name__="m"} 1 @0',
    'series m {__name__="m"} 1 @1000000',
    'series m {__name__="m"} 1 @0',
    'eof',
  ]);
});

test('openmetrics: exemplars, with and without timestamps', () => {
  f(
    [
      '# TYPE foo histogram',
      'foo_bucket{le="0.01"} 0',
      'foo_bucket{le="0.1"} 8 # {} 0.054',
      'foo_bucket{le="1"} 11 # {trace_id="KOO5S4vxi0o"} 0.67',
      'foo_bucket{le="10"} 17 # {trace_id="oHg5SJYRHA0",span="a\\"b"} 9.8 1520879607.789',
      'foo_bucket{le="+Inf"} 17 1520879607 # {"ü"="x"} NaN',
      'foo_count 17',
      'foo_sum 324789.3',
      '# EOF',
      '',
    ].join('\n'),
    [
      'type foo histogram',
      'series foo_bucket{le="0.01"} {__name__="foo_bucket", le="0.01"} 0',
      'series foo_bucket{le="0.1"} {__name__="foo_bucket", le="0.1"} 8 # {} 0.054',
      'series foo_bucket{le="1"} {__name__="foo_bucket", le="1.0"} 11 # {trace_id="KOO5S4vxi0o"} 0.67',
      'series foo_bucket{le="10"} {__name__="foo_bucket", le="10.0"} 17 # {span="a\\"b", trace_id="oHg5SJYRHA0"} 9.8 @1520879607789',
      'series foo_bucket{le="+Inf"} {__name__="foo_bucket", le="+Inf"} 17 @1520879607000 # {ü="x"} NaN',
      'series foo_count {__name__="foo_count"} 17',
      'series foo_sum {__name__="foo_sum"} 324789.3',
      'eof',
    ],
  );
});

test('openmetrics: every type with its suffixes', () => {
  f(
    [
      '# TYPE c counter',
      'c_total 1',
      'c_created 1.5e9',
      '# TYPE g gauge',
      'g 1',
      '# TYPE s summary',
      's{quantile="0.5"} 1',
      's_sum 1',
      's_count 1',
      's_created 1',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 1',
      'h_sum 1',
      'h_count 1',
      'h_created 1',
      '# TYPE gh gaugehistogram',
      'gh_bucket{le="+Inf"} 1',
      'gh_gcount 1',
      'gh_gsum 1',
      '# TYPE i info',
      'i_info{version="1"} 1',
      '# TYPE ss stateset',
      'ss{ss="a"} 1',
      '# TYPE u unknown',
      'u 1',
      'no_metadata_family 1',
      '# EOF',
      '',
    ].join('\n'),
    [
      'type c counter',
      'series c_total {__name__="c_total"} 1',
      'series c_created {__name__="c_created"} 1500000000',
      'type g gauge',
      'series g {__name__="g"} 1',
      'type s summary',
      'series s{quantile="0.5"} {__name__="s", quantile="0.5"} 1',
      'series s_sum {__name__="s_sum"} 1',
      'series s_count {__name__="s_count"} 1',
      'series s_created {__name__="s_created"} 1',
      'type h histogram',
      'series h_bucket{le="+Inf"} {__name__="h_bucket", le="+Inf"} 1',
      'series h_sum {__name__="h_sum"} 1',
      'series h_count {__name__="h_count"} 1',
      'series h_created {__name__="h_created"} 1',
      'type gh gaugehistogram',
      'series gh_bucket{le="+Inf"} {__name__="gh_bucket", le="+Inf"} 1',
      'series gh_gcount {__name__="gh_gcount"} 1',
      'series gh_gsum {__name__="gh_gsum"} 1',
      'type i info',
      'series i_info{version="1"} {__name__="i_info", version="1"} 1',
      'type ss stateset',
      'series ss{ss="a"} {__name__="ss", ss="a"} 1',
      'type u unknown',
      'series u {__name__="u"} 1',
      'series no_metadata_family {__name__="no_metadata_family"} 1',
      'eof',
    ],
  );
});

test('openmetrics: metadata in any order, empty texts, families without samples', () => {
  f('# HELP a x\n# UNIT a_bytes bytes\n# TYPE a_bytes gauge\n# HELP a_bytes \n# UNIT c \n# EOF', [
    'help a "x"',
    'unit a_bytes bytes',
    'type a_bytes gauge',
    'help a_bytes ""',
    'unit c ',
    'eof',
  ]);
  f('# HELP q \\"quoted\\" and \\\\ and \\n\n# EOF\n', [
    'help q "\\"quoted\\" and \\\\ and \\n"',
    'eof',
  ]);
});

test('openmetrics: a sample may start a family of its own next to a near name', () => {
  // "foo_count" is not a counter suffix, so it is an unknown family of its own.
  f('# TYPE foo counter\nfoo_total 1\nfoo_count 2\n# EOF\n', [
    'type foo counter',
    'series foo_total {__name__="foo_total"} 1',
    'series foo_count {__name__="foo_count"} 2',
    'eof',
  ]);
  // A HELP line before the TYPE line does not judge the family as untyped.
  f(
    '# TYPE s summary\ns_count 1\n# HELP s_count x\n# TYPE s_count counter\ns_count_total 1\n# EOF\n',
    [
      'type s summary',
      'series s_count {__name__="s_count"} 1',
      'help s_count "x"',
      'type s_count counter',
      'series s_count_total {__name__="s_count_total"} 1',
      'eof',
    ],
  );
});

test('openmetrics: # EOF may lack its line feed', () => {
  f('m 1\n# EOF', ['series m {__name__="m"} 1', 'eof']);
  f('# EOF', ['eof']);
});
