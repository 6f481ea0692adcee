/**
 * @module
 * A free TCP port on 127.0.0.1, for peers that cannot be told to listen on port 0 and report
 * the port they got (Prometheus, VictoriaMetrics).
 */

import { createServer } from 'node:net';

/**
 * @example
 * const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
