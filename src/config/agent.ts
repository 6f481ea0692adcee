/**
 * @module
 * The schema of `agent.yml`, the configuration of `vigil agent`: where the agent keeps its state,
 * the inputs it reads, and the outputs it ships to, each output with its own disk buffer. Read
 * with the same loader as `vigil.yml`, so problems are reported at their file, line and key.
 * docs/agent.md lists the same keys with their defaults.
 */

import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../lib/log/logger.js';
import { MULTILINE_RULE_NAMES } from '../logs/agent/parsers/multiline.js';
import { PARSER_FORMATS } from '../logs/agent/parsers/parser.js';
import { BUILTIN_MESSAGE_PARSERS, filterSchema, messageParserSchema } from './agent-stages.js';
import { checkOneAuth, httpClientShape } from './http-client.js';
import { duration, httpUrl, listenAddress, section, size } from './types.js';

const positiveDuration = (d: string) =>
  duration.prefault(d).refine((ms) => ms > 0, 'must be greater than 0');

const nonEmptyStrings = z.array(z.string().min(1, 'must not be empty'));

const tailInput = z.strictObject({
  /** Names the input in metrics and logs, and its position database file. */
  name: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ and -'),
  type: z.enum(['tail']).default('tail'),
  /** Absolute path patterns of the files to follow. */
  include: nonEmptyStrings.refine((l) => l.length > 0, 'must list at least one pattern'),
  exclude: nonEmptyStrings.default([]),
  /** Where to start in files present at the agent's very first start. */
  read_from: z.enum(['head', 'tail']).default('head'),
  format: z.enum(PARSER_FORMATS).default('auto'),
  /** Lift the keys of JSON messages into fields. */
  json: z.boolean().default(true),
  /** Message parsers (`parsers`, or the built-in logfmt) tried in order after JSON. */
  message_parsers: nonEmptyStrings.default([]),
  /** Joining stack traces and other records written as several lines. */
  multiline: section({
    /** Built-in rules: java, python, go, node, ruby. */
    rules: z.array(z.enum(MULTILINE_RULE_NAMES)).default([]),
    /** A line matching this regular expression starts a record, others continue it. */
    first_line: z
      .string()
      .default('')
      .refine((s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      }, 'must be a regular expression'),
    /** A record whose stream has been quiet this long is sent as it is. */
    flush_timeout: positiveDuration('1s'),
  }),
  /** Kubernetes metadata: from /var/log/pods and /var/log/containers paths, and the API (`kubernetes:`). */
  kubernetes: z.boolean().default(true),
  /** Longest line (and longest record joined from partial lines); longer ones are cut. */
  max_line_size: size.prefault('256KiB').refine((b) => b >= 1024, 'must be at least 1KiB'),
  scan_interval: positiveDuration('10s'),
  poll_interval: positiveDuration('250ms'),
  rotate_wait: positiveDuration('5s'),
});

const journaldInput = z.strictObject({
  /** Names the input in metrics and logs, and its cursor file. */
  name: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ and -'),
  type: z.literal('journald'),
  /** The journalctl executable: a path, or a name looked up in $PATH. */
  journalctl: z.string().min(1).default('journalctl'),
  /** A journal directory to read (`--directory`), e.g. the host's mounted into a container. */
  directory: z.string().default(''),
  /** Where to start at the agent's very first start (no cursor saved yet). */
  read_from: z.enum(['head', 'tail']).default('tail'),
  /** With read_from: head, start here instead (journalctl `--since`). */
  since: z.string().default(''),
  /** Only these units (`--unit`). */
  units: nonEmptyStrings.default([]),
  /** journalctl matches, `FIELD=value` (`+` for OR); all by default. */
  matches: z
    .array(z.string().regex(/^([A-Z0-9_]+=.*|\+)$/, 'must be FIELD=value or +'))
    .default([]),
  /** Longest message; longer ones are cut. */
  max_line_size: size.prefault('256KiB').refine((b) => b >= 1024, 'must be at least 1KiB'),
  /** Message parsers (`parsers`, or the built-in logfmt) tried in order on MESSAGE. */
  message_parsers: nonEmptyStrings.default([]),
  /** Backoff bounds for restarting journalctl after it exits. */
  min_restart_backoff: positiveDuration('1s'),
  max_restart_backoff: positiveDuration('30s'),
});

const input = z.discriminatedUnion('type', [tailInput, journaldInput], {
  error: () => 'must be "tail" or "journald"',
});

/** Keys every output has. */
const outputShape = {
  /** Names the output in metrics and logs, and its buffer and dead-letter files. */
  name: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ and -'),
  compression: z.enum(['gzip', 'none']).default('gzip'),
  timeout: positiveDuration('30s'),
  batch: section({
    max_records: z.number().int().positive().default(2000),
    max_size: size.prefault('4MiB').refine((b) => b > 0, 'must be greater than 0'),
    wait: positiveDuration('1s'),
    /** Batches sent at once; acknowledged in order. */
    in_flight: z.number().int().positive().default(2),
  }),
  retry: section({
    /** Retries before a batch goes to the dead-letter file; 0 retries forever. */
    max_retries: z.number().int().nonnegative().default(0),
    min_backoff: positiveDuration('100ms'),
    max_backoff: positiveDuration('30s'),
  }),
  buffer: section({
    max_size: size.prefault('256MiB').refine((b) => b >= 1 << 20, 'must be at least 1MiB'),
    chunk_size: size.prefault('8MiB').refine((b) => b >= 64 << 10, 'must be at least 64KiB'),
  }),
  ...httpClientShape,
};

const vigilOutput = z
  .strictObject({
    ...outputShape,
    type: z.literal('vigil'),
    /** The Vigil server, `http://vigil:9700`. */
    url: httpUrl,
    index: z.string().min(1).default('logs-agent'),
  })
  .superRefine((v, ctx) => checkOneAuth(v, ctx));

const elasticsearchOutput = z
  .strictObject({
    ...outputShape,
    type: z.literal('elasticsearch'),
    /** The cluster, `https://es:9200`. */
    url: httpUrl,
    /** `%Y`, `%m`, `%d`: the record's UTC day. Elasticsearch index names are lowercase. */
    index: z
      .string()
      .min(1)
      .refine((s) => {
        const name = s.replace(/%[Ymd]/g, '');
        return name === name.toLowerCase();
      }, 'must be lowercase (besides %Y, %m, %d)')
      .default('logs-agent-%Y.%m.%d'),
  })
  .superRefine((v, ctx) => checkOneAuth(v, ctx));

/** Label names as keys: zod's record keys cannot carry their own message, so checked here. */
const lokiLabels = <V extends z.ZodType>(value: V) =>
  z.record(z.string(), value).superRefine((labels, ctx) => {
    for (const name of Object.keys(labels)) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `invalid label name "${name}": want letters, digits and _, not starting with a digit`,
        });
      }
    }
  });

const lokiOutput = z
  .strictObject({
    ...outputShape,
    type: z.literal('loki'),
    /** Loki (or anything speaking its push API), `http://loki:3100`. */
    url: httpUrl,
    /** Stream labels: label name to the record field (dotted path) it takes its value from. */
    labels: lokiLabels(z.string().min(1)).default({
      namespace: 'kubernetes.namespace',
      pod: 'kubernetes.pod.name',
      container: 'kubernetes.container.name',
      host: 'host.name',
    }),
    /** Labels every stream gets, with fixed values. */
    static_labels: lokiLabels(z.string()).default({}),
    /** Sent as X-Scope-OrgID for a multi-tenant Loki; none when empty. */
    tenant_id: z.string().default(''),
  })
  .superRefine((v, ctx) => checkOneAuth(v, ctx));

const fileOutput = z.strictObject({
  name: outputShape.name,
  type: z.literal('file'),
  /** The file records are appended to, one JSON object a line. */
  path: z.string().min(1, 'must not be empty'),
  batch: outputShape.batch,
  /** Backoff between attempts to write after an error (a full disk); retried until it works. */
  retry: section({
    min_backoff: positiveDuration('100ms'),
    max_backoff: positiveDuration('30s'),
  }),
  buffer: outputShape.buffer,
});

/** Pod metadata from the API server, shared by every tail input with `kubernetes: true`. */
const kubernetesSection = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .strictObject({
      /** Labels, annotations and owner from the API server; false: the path's metadata only. */
      api: z.boolean().default(true),
      /** Absent: the in-cluster API server and the pod's service account. */
      api_server: httpUrl.optional(),
      /** Pods kept, deleted ones in their grace period included. */
      max_pods: z.number().int().positive().default(1000),
      /** How long a deleted pod's metadata is kept for its last lines. */
      deleted_pod_grace: positiveDuration('5m'),
      /** Longest a new file waits for its pod's metadata before it is read without it. */
      wait_for_metadata: duration.prefault('5s'),
      labels: z.boolean().default(true),
      /** Annotation keys to add; `*` matches any characters. */
      annotations: nonEmptyStrings.default([]),
      /** Also watch the node for its labels (needs get/list/watch on nodes). */
      node_labels: z.boolean().default(false),
      /** Also watch namespaces for their labels. */
      namespace_labels: z.boolean().default(false),
      /** Replace `.` in label and annotation keys with `_`. */
      dedot: z.boolean().default(false),
      ...httpClientShape,
    })
    .superRefine((v, ctx) => {
      checkOneAuth(v, ctx);
      const tls = v.tls_config;
      const custom =
        v.basic_auth !== undefined ||
        v.authorization !== undefined ||
        v.bearer_token !== undefined ||
        v.bearer_token_file !== undefined ||
        Object.entries(tls).some(([k, x]) =>
          k === 'insecure_skip_verify' ? x === true : x !== undefined,
        );
      if (v.api_server === undefined && custom) {
        ctx.addIssue({
          code: 'custom',
          message: 'HTTP client settings need api_server: in a cluster the service account is used',
        });
      }
    })
    .prefault({}),
);

const stdoutOutput = z.strictObject({
  name: outputShape.name,
  type: z.literal('stdout'),
  batch: outputShape.batch,
  buffer: outputShape.buffer,
});

const output = z.discriminatedUnion(
  'type',
  [vigilOutput, elasticsearchOutput, lokiOutput, fileOutput, stdoutOutput],
  { error: () => 'must be "vigil", "elasticsearch", "loki", "file" or "stdout"' },
);

const uniqueNames =
  (what: string) => (list: { name: string }[], ctx: z.core.$RefinementCtx<unknown>) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `duplicate ${what} name "${item.name}"`,
        });
      }
      seen.add(item.name);
    });
  };

/** In the agent inside `vigil server`, the output name of the server's own store. */
export const LOCAL_STORE_OUTPUT = 'local';

/** `outputs` required: `vigil agent`; optional: the agent inside `vigil server`, which also stores locally. */
const agentSchema = (outputsRequired: boolean) =>
  section({
    /** Named message parsers (logfmt, regex) that inputs list in `message_parsers`. */
    parsers: z.array(messageParserSchema).default([]).superRefine(uniqueNames('parser')),
    /** Record filters, run in this order on every record of the inputs they apply to. */
    filters: z.array(filterSchema).default([]).superRefine(uniqueNames('filter')),
    /** The node's name; default $NODE_NAME, else the host name. Part of every record id. */
    node_name: z.string().default(''),
    /** Position databases, buffers and dead-letter files. Overridden by --data-dir. */
    data_dir: z.string().min(1).default('./data/agent'),
    /** Address of `/metrics`. Overridden by --listen. */
    listen: listenAddress.prefault('127.0.0.1:9702'),
    log: section({
      level: z.enum(LOG_LEVELS).default('info'),
      format: z.enum(LOG_FORMATS).default('logfmt'),
    }),
    kubernetes: kubernetesSection,
    inputs: z
      .array(input)
      .prefault([{ name: 'containers', include: ['/var/log/pods/*/*/*.log'] }])
      .superRefine(uniqueNames('input')),
    outputs: outputsRequired
      ? z
          .array(output)
          .refine((l) => l.length > 0, 'must list at least one output')
          .superRefine(uniqueNames('output'))
      : z.array(output).default([]).superRefine(uniqueNames('output')),
  }).superRefine((config, ctx) => {
    // Names that refer to other entries: each must exist.
    const parsers = new Set<string>([
      ...BUILTIN_MESSAGE_PARSERS,
      ...config.parsers.map((p) => p.name),
    ]);
    config.inputs.forEach((input, i) => {
      input.message_parsers.forEach((name, j) => {
        if (!parsers.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['inputs', i, 'message_parsers', j],
            message: `no parser "${name}"; known: ${[...parsers].join(', ')}`,
          });
        }
      });
    });
    if (!outputsRequired) {
      config.outputs.forEach((o, i) => {
        if (o.name !== LOCAL_STORE_OUTPUT) return;
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'name'],
          message: `"${LOCAL_STORE_OUTPUT}" names the server's own store; choose another name`,
        });
      });
    }
    const inputs = new Set(config.inputs.map((input) => input.name));
    config.filters.forEach((filter, i) => {
      filter.inputs.forEach((name, j) => {
        if (!inputs.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['filters', i, 'inputs', j],
            message: `no input "${name}"; known: ${[...inputs].join(', ')}`,
          });
        }
      });
    });
  });

export const agentConfigSchema = agentSchema(true);

/**
 * `server.local_agent.config`: the same file, `outputs` optional — the agent inside
 * `vigil server` always writes to the server's own log store, and ships to these as well.
 */
export const localAgentConfigSchema = agentSchema(false);

/** The validated agent configuration; durations in ms, sizes in bytes. */
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type InputConfig = AgentConfig['inputs'][number];
export type TailInputConfig = Extract<InputConfig, { type: 'tail' }>;
export type JournaldInputConfig = Extract<InputConfig, { type: 'journald' }>;
export type OutputConfig = AgentConfig['outputs'][number];
export type AgentKubernetesConfig = AgentConfig['kubernetes'];
