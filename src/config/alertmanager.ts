/**
 * @module
 * The `alertmanager` section of vigil.yml: the Alertmanager built into `vigil server` — whether
 * it runs, the alertmanager.yml it routes with, the URL its notifications link to, and how long
 * expired silences and notification log entries are kept. When it runs, alerts from rules are
 * sent to it besides any `alerting.alertmanagers`.
 */

import { z } from 'zod';
import { duration, section } from './types.js';

export const alertmanagerSection = section({
  /** Run the built-in Alertmanager (API v2 under `/alertmanager`) and send rules' alerts to it. */
  enabled: z.boolean().default(true),
  /**
   * alertmanager.yml in Alertmanager's format, relative to this file. Empty: one receiver
   * without integrations, so alerts are kept, grouped and silenced but notify no one.
   */
  config_file: z.string().default(''),
  /** The URL notifications link to; empty: the server's URL followed by `/alertmanager`. */
  external_url: z.string().default(''),
  /** How long expired silences and notification log entries are kept. */
  retention: duration.prefault('120h').refine((ms) => ms > 0, 'must be greater than 0'),
});
