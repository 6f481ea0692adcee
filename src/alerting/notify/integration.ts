/**
 * @module
 * What a receiver's integration (one entry of `webhook_configs`, `email_configs`,
 * `slack_configs`) implements, and the error that tells the retry loop whether trying again
 * can help.
 */

import type { NotifyContext } from '../group.js';
import type { Alert } from '../model/alert.js';

export interface Integration {
  /** `webhook`, `email` or `slack`: the `integration` label of the notification metrics. */
  readonly name: string;
  /** Position among the receiver's integrations of this kind (`webhook_configs[index]`). */
  readonly index: number;
  readonly sendResolved: boolean;
  /**
   * Delivers one notification. Aborts with `ctx.signal`.
   *
   * @throws {NotifyError} saying whether a retry may succeed.
   */
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void>;
}

/** A failed delivery; `retry` is false when the same request would fail again (a 4xx). */
export class NotifyError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'NotifyError';
  }
}
