/**
 * @module
 * `receivers` of alertmanager.yml: a name and its integrations. Vigil delivers
 * `webhook_configs`, `email_configs` and `slack_configs`, with Alertmanager's keys and
 * defaults (`send_resolved` true for webhooks, false for email and Slack). Other integration
 * kinds are refused by name, rather than accepted and never called.
 */

import { z } from 'zod';
import { httpClientShape } from '../../config/http-client.js';
import { httpUrl, secret } from '../../config/types.js';

const httpConfig = z.strictObject(httpClientShape).prefault({});

const webhookConfig = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    url: httpUrl.optional(),
    url_file: z.string().optional(),
    http_config: httpConfig,
    /** Most alerts per message; the rest are counted in `truncatedAlerts`. 0: all. */
    max_alerts: z.number().int().nonnegative().default(0),
  })
  .superRefine((w, ctx) => {
    if ((w.url === undefined) === (w.url_file === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'one of url or url_file must be configured' });
    }
  });

const tlsConfig = httpClientShape.tls_config;

const emailConfig = z.strictObject({
  send_resolved: z.boolean().default(false),
  to: z.string().min(1),
  from: z.string().optional(),
  smarthost: z.string().optional(),
  hello: z.string().optional(),
  auth_username: z.string().optional(),
  auth_password: secret.optional(),
  auth_password_file: z.string().optional(),
  auth_secret: secret.optional(),
  auth_identity: z.string().optional(),
  require_tls: z.boolean().optional(),
  tls_config: tlsConfig,
  html: z.string().default('{{ template "email.default.html" . }}'),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
});

const slackField = z.strictObject({
  title: z.string(),
  value: z.string(),
  short: z.boolean().optional(),
});

const slackConfirm = z.strictObject({
  title: z.string().default(''),
  text: z.string().min(1),
  ok_text: z.string().default(''),
  dismiss_text: z.string().default(''),
});

/** An interactive message button, kept for messages posted through apps that handle them. */
const slackAction = z
  .strictObject({
    type: z.string().min(1, 'missing type in Slack action configuration'),
    text: z.string().min(1, 'missing text in Slack action configuration'),
    url: z.string().default(''),
    style: z.string().default(''),
    name: z.string().default(''),
    value: z.string().default(''),
    confirm: slackConfirm.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.url === '' && a.name === '') {
      ctx.addIssue({
        code: 'custom',
        message: 'missing name or url in Slack action configuration',
      });
    }
  });

const slackConfig = z.strictObject({
  send_resolved: z.boolean().default(false),
  api_url: secret.optional(),
  api_url_file: z.string().optional(),
  http_config: httpConfig,
  channel: z.string().default(''),
  username: z.string().default('{{ template "slack.default.username" . }}'),
  color: z.string().default('{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'),
  title: z.string().default('{{ template "slack.default.title" . }}'),
  title_link: z.string().default('{{ template "slack.default.titlelink" . }}'),
  pretext: z.string().default('{{ template "slack.default.pretext" . }}'),
  text: z.string().default('{{ template "slack.default.text" . }}'),
  fields: z.array(slackField).default([]),
  short_fields: z.boolean().default(false),
  footer: z.string().default('{{ template "slack.default.footer" . }}'),
  fallback: z.string().default('{{ template "slack.default.fallback" . }}'),
  callback_id: z.string().default('{{ template "slack.default.callbackid" . }}'),
  icon_emoji: z.string().default('{{ template "slack.default.iconemoji" . }}'),
  icon_url: z.string().default('{{ template "slack.default.iconurl" . }}'),
  image_url: z.string().default(''),
  thumb_url: z.string().default(''),
  link_names: z.boolean().default(false),
  mrkdwn_in: z.array(z.string()).default(['fallback', 'pretext', 'text']),
  actions: z.array(slackAction).default([]),
});

/** Integration kinds Alertmanager knows that Vigil does not deliver to. */
const UNSUPPORTED = [
  'discord_configs',
  'msteams_configs',
  'opsgenie_configs',
  'pagerduty_configs',
  'pushover_configs',
  'sns_configs',
  'telegram_configs',
  'victorops_configs',
  'webex_configs',
  'wechat_configs',
] as const;

const unsupported = Object.fromEntries(
  UNSUPPORTED.map((k) => [
    k,
    z
      .unknown()
      .refine(() => false, {
        message: `${k} are not supported by Vigil (supported: webhook_configs, email_configs, slack_configs)`,
      })
      .optional(),
  ]),
) as Record<(typeof UNSUPPORTED)[number], z.ZodOptional<z.ZodUnknown>>;

export const receiverSchema = z.strictObject({
  name: z.string().min(1),
  webhook_configs: z.array(webhookConfig).default([]),
  email_configs: z.array(emailConfig).default([]),
  slack_configs: z.array(slackConfig).default([]),
  ...unsupported,
});

export type ReceiverConfig = z.output<typeof receiverSchema>;
export type WebhookConfig = ReceiverConfig['webhook_configs'][number];
export type EmailConfig = ReceiverConfig['email_configs'][number];
export type SlackConfig = ReceiverConfig['slack_configs'][number];
