/**
 * @module
 * The Slack integration (`slack_configs`): POSTs Alertmanager's message to an incoming webhook
 * (`api_url`, `api_url_file`, or the `global` ones) — channel, username, icons and one
 * attachment whose title, link, pretext, text, fields, footer and fallback are rendered from
 * their templates (`actions` buttons too), coloured by status (`danger` firing, `good` resolved, by default). A 2xx is
 * success; a 5xx, a 429 or a failed connection may succeed on retry.
 */

import { readFileSync } from 'node:fs';
import { HttpClient } from '../../lib/http-client/client.js';
import { buildInfo } from '../../lib/buildinfo.js';
import type { AlertmanagerConfig } from '../config/schema.js';
import type { SlackConfig } from '../config/receivers.js';
import type { NotifyContext } from '../group.js';
import type { Alert } from '../model/alert.js';
import { templateData, type TemplateData } from '../template/data.js';
import type { NotificationTemplates } from '../template/template.js';
import { notificationData } from './data.js';
import { NotifyError, type Integration } from './integration.js';

/** Slack cuts longer titles; Alertmanager cuts them first, with an ellipsis. */
const MAX_TITLE_RUNES = 1024;

export class SlackIntegration implements Integration {
  readonly name = 'slack';
  readonly sendResolved: boolean;
  readonly #c: SlackConfig;
  readonly #apiURL: { url?: string | undefined; file?: string | undefined };
  readonly #client: HttpClient;
  readonly #templates: NotificationTemplates;
  readonly #externalURL: () => string;

  /**
   * @example
   * new SlackIntegration(receiver.slack_configs[0], 0, config.global, templates, () => url);
   */
  constructor(
    config: SlackConfig,
    readonly index: number,
    global: AlertmanagerConfig['global'],
    templates: NotificationTemplates,
    externalURL: () => string,
  ) {
    this.#c = config;
    this.sendResolved = config.send_resolved;
    this.#apiURL =
      config.api_url !== undefined || config.api_url_file !== undefined
        ? { url: config.api_url, file: config.api_url_file }
        : { url: global.slack_api_url, file: global.slack_api_url_file };
    this.#client = new HttpClient(config.http_config);
    this.#templates = templates;
    this.#externalURL = externalURL;
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const data = templateData(notificationData(ctx, alerts, this.#externalURL()));
    let body: Buffer;
    try {
      body = Buffer.from(JSON.stringify(await this.#message(data)));
    } catch (err) {
      throw new NotifyError(`cannot render Slack message: ${(err as Error).message}`, false, {
        cause: err,
      });
    }
    const url = this.#url();
    let status: number;
    try {
      const res = await this.#client.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `Vigil/${buildInfo().version}`,
        },
        body,
        timeoutMs: 0,
        signal: ctx.signal,
      });
      status = res.status;
    } catch (err) {
      throw new NotifyError(`cannot send to Slack: ${(err as Error).message}`, true, {
        cause: err,
      });
    }
    if (status >= 200 && status < 300) return;
    throw new NotifyError(
      `cannot send to Slack: status ${status}`,
      status >= 500 || status === 429,
    );
  }

  async #message(data: TemplateData): Promise<Record<string, unknown>> {
    const c = this.#c;
    const t = (src: string) => this.#templates.text(src, data);
    let title = await t(c.title);
    if ([...title].length > MAX_TITLE_RUNES) {
      title = `${[...title].slice(0, MAX_TITLE_RUNES - 1).join('')}…`;
    }
    const attachment: Record<string, unknown> = {
      title,
      title_link: await t(c.title_link),
      pretext: await t(c.pretext),
      text: await t(c.text),
      fallback: await t(c.fallback),
      callback_id: await t(c.callback_id),
      image_url: await t(c.image_url),
      thumb_url: await t(c.thumb_url),
      footer: await t(c.footer),
      color: await t(c.color),
      mrkdwn_in: c.mrkdwn_in,
    };
    if (c.fields.length > 0) {
      const fields = [];
      for (const f of c.fields) {
        fields.push({
          title: await t(f.title),
          value: await t(f.value),
          short: f.short ?? c.short_fields,
        });
      }
      attachment.fields = fields;
    }
    if (c.actions.length > 0) {
      const actions = [];
      for (const a of c.actions) {
        const action: Record<string, unknown> = {
          type: await t(a.type),
          text: await t(a.text),
          url: await t(a.url),
          style: await t(a.style),
          name: await t(a.name),
          value: await t(a.value),
        };
        for (const k of ['url', 'style', 'name', 'value']) if (action[k] === '') delete action[k];
        if (a.confirm !== undefined) {
          const confirm: Record<string, string> = {
            title: await t(a.confirm.title),
            text: await t(a.confirm.text),
            ok_text: await t(a.confirm.ok_text),
            dismiss_text: await t(a.confirm.dismiss_text),
          };
          for (const k of ['title', 'ok_text', 'dismiss_text'])
            if (confirm[k] === '') delete confirm[k];
          action.confirm = confirm;
        }
        actions.push(action);
      }
      attachment.actions = actions;
    }
    // Empty optional strings are left out, as Go's `omitempty` does; these four always go.
    const always = new Set(['text', 'fallback', 'callback_id', 'footer']);
    for (const [k, v] of Object.entries(attachment)) {
      if (!always.has(k) && (v === '' || (Array.isArray(v) && v.length === 0)))
        delete attachment[k];
    }
    const message: Record<string, unknown> = {
      channel: await t(c.channel),
      username: await t(c.username),
      icon_emoji: await t(c.icon_emoji),
      icon_url: await t(c.icon_url),
      link_names: c.link_names,
      attachments: [attachment],
    };
    for (const [k, v] of Object.entries(message)) {
      if (v === '' || v === false) delete message[k];
    }
    return message;
  }

  #url(): string {
    const { url, file } = this.#apiURL;
    if (url !== undefined) return url;
    if (file === undefined) throw new NotifyError('no Slack API URL set', false);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new NotifyError(`cannot read api_url_file ${file}: ${(err as Error).message}`, false, {
        cause: err,
      });
    }
  }
}
