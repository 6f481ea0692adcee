/**
 * @module
 * The webhook integration: POSTs Alertmanager's webhook message (`version: "4"`, the group key,
 * how many alerts `max_alerts` cut, and the notification data) as JSON. A 2xx is success, a 5xx
 * or a failed connection may succeed on retry, any other status will not.
 */

import { readFileSync } from 'node:fs';
import { HttpClient } from '../../lib/http-client/client.js';
import { buildInfo } from '../../lib/buildinfo.js';
import type { WebhookConfig } from '../config/receivers.js';
import type { NotifyContext } from '../group.js';
import type { Alert } from '../model/alert.js';
import { notificationData } from './data.js';
import { NotifyError, type Integration } from './integration.js';

export class WebhookIntegration implements Integration {
  readonly name = 'webhook';
  readonly sendResolved: boolean;
  readonly #config: WebhookConfig;
  readonly #client: HttpClient;
  readonly #externalURL: () => string;

  /**
   * @example
   * new WebhookIntegration(receiver.webhook_configs[0], 0, () => 'http://127.0.0.1:9093');
   */
  constructor(
    config: WebhookConfig,
    readonly index: number,
    externalURL: () => string,
  ) {
    this.#config = config;
    this.sendResolved = config.send_resolved;
    this.#client = new HttpClient(config.http_config);
    this.#externalURL = externalURL;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const max = this.#config.max_alerts;
    const sent = max > 0 && alerts.length > max ? alerts.slice(0, max) : alerts;
    const message = {
      ...notificationData(ctx, sent, this.#externalURL()),
      version: '4',
      groupKey: ctx.groupKey,
      truncatedAlerts: alerts.length - sent.length,
    };
    const url = this.#url();
    let status: number;
    try {
      const res = await this.#client.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `Vigil/${buildInfo().version}`,
        },
        body: Buffer.from(JSON.stringify(message)),
        timeoutMs: 0,
        signal: ctx.signal,
      });
      status = res.status;
    } catch (err) {
      throw new NotifyError(`cannot send webhook to ${url}: ${(err as Error).message}`, true, {
        cause: err,
      });
    }
    if (status >= 200 && status < 300) return;
    throw new NotifyError(`cannot send webhook to ${url}: status ${status}`, status >= 500);
  }

  #url(): string {
    if (this.#config.url !== undefined) return this.#config.url;
    const file = this.#config.url_file!;
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new NotifyError(`cannot read url_file ${file}: ${(err as Error).message}`, false, {
        cause: err,
      });
    }
  }
}
