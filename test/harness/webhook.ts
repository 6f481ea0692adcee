/**
 * @module
 * A webhook receiver for alerting tests: a real HTTP server on 127.0.0.1 that records every
 * JSON body posted to it and answers with the status the test chooses, closed when the test ends.
 */

import { createServer } from 'node:http';

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/hook` */
  url: string;
  /** Parsed bodies, in arrival order. */
  received: Record<string, unknown>[];
  /** Statuses to answer the next requests with, in order; 200 once used up. */
  failNext: number[];
  /** Resolves once at least `n` bodies have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
}

/**
 * @example
 * const hook = await startWebhook(t);
 * await hook.waitFor(1);
 */
export async function startWebhook(t: {
  after: (fn: () => Promise<void>) => void;
}): Promise<WebhookReceiver> {
  const received: Record<string, unknown>[] = [];
  const failNext: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const status = failNext.shift() ?? 200;
      if (status === 200) received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('webhook has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    failNext,
    async waitFor(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) {
          throw new Error(
            `webhook got ${received.length} of ${n} notifications in ${timeoutMs} ms`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
  };
}

/**
 * An Alertmanager configuration that sends every alert to the webhook at `url`, grouped by
 * alert name, after a second.
 *
 * @example
 * writeFileSync(join(dir, 'alertmanager.yml'), webhookAlertmanagerConfig(hook.url));
 */
export function webhookAlertmanagerConfig(url: string): string {
  return `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
receivers:
  - name: hook
    webhook_configs:
      - url: ${url}
`;
}
