/**
 * @module
 * `GET /api/v2/status` (version, uptime, the configuration, a cluster that is disabled since
 * Vigil's Alertmanager runs alone) and `GET /api/v2/receivers`. The configuration is the file as
 * written with its secrets replaced by `<secret>`, as Alertmanager shows them.
 */

import type { FastifyInstance } from 'fastify';
import { isPair, isScalar, parseDocument, visit } from 'yaml';
import { buildInfo } from '../../lib/buildinfo.js';
import type { Alertmanager } from '../alertmanager.js';
import { apiTime } from '../model/time.js';

/** Keys whose values Alertmanager's configuration types hold as secrets. */
const SECRET_KEYS = new Set([
  'password',
  'credentials',
  'bearer_token',
  'key',
  'auth_password',
  'auth_secret',
  'smtp_auth_password',
  'smtp_auth_secret',
  'slack_api_url',
  'api_url',
  'opsgenie_api_key',
  'victorops_api_key',
  'wechat_api_secret',
  'api_key',
  'api_secret',
  'routing_key',
  'service_key',
  'token',
  'bot_token',
  'user_key',
]);

/**
 * The configuration text with secret values replaced.
 *
 * @example
 * redactConfig('global:\n  smtp_auth_password: hunter2\n'); // 'global:\n  smtp_auth_password: <secret>\n'
 */
export function redactConfig(text: string): string {
  const doc = parseDocument(text);
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && SECRET_KEYS.has(String(pair.key.value))) {
        if (isScalar(pair.value)) pair.value.value = '<secret>';
      }
    },
  });
  return doc.toString();
}

export function registerStatusRoutes(app: FastifyInstance, am: Alertmanager): void {
  const original = redactConfig(am.config.original);
  app.get('/status', async () => {
    const b = buildInfo();
    return {
      cluster: { peers: [], status: 'disabled' },
      config: { original },
      uptime: apiTime(am.openedAt),
      versionInfo: {
        branch: b.branch,
        buildDate: b.buildDate,
        buildUser: b.buildUser,
        goVersion: `node${b.nodeVersion.replace(/^v/, '')}`,
        revision: b.revision,
        version: b.version,
      },
    };
  });
  app.get('/receivers', async () => am.config.config.receivers.map((r) => ({ name: r.name })));
}
