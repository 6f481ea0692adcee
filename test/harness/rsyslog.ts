/**
 * @module
 * Debian's rsyslog (`/usr/sbin/rsyslogd`, with `omelasticsearch` from rsyslog-elasticsearch) as
 * a real log shipper: it listens for syslog over TCP on a port of its own and ships every
 * message as JSON to an Elasticsearch `_bulk` endpoint, the way users point it at a cluster. It
 * runs in the foreground with its own configuration, work directory and pid file, and is
 * stopped when the test ends.
 */

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './temp.js';

export const RSYSLOGD = '/usr/sbin/rsyslogd';
export const HAVE_RSYSLOG_ES =
  existsSync(RSYSLOGD) && existsSync('/usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so');

export interface Rsyslog {
  /** The TCP port it takes syslog messages on. */
  port: number;
  /** Sends RFC 3164 lines (newline-framed) to its TCP input. */
  send(lines: string[]): Promise<void>;
  /** rsyslog's own output plus omelasticsearch's error file. */
  log(): string;
}

/**
 * Starts rsyslogd shipping to `esPort` into `index`.
 *
 * @example
 * const rs = await startRsyslog(t, vigil.port, 'syslog');
 * await rs.send(['<14>Nov 30 12:00:00 web1 app[1]: hello']);
 */
export async function startRsyslog(
  t: { after: (fn: () => Promise<void>) => void },
  esPort: number,
  index: string,
): Promise<Rsyslog> {
  const dir = tempDir(t as never, 'vigil-rsyslog-');
  const port = await freePort();
  const errors = join(dir, 'es-errors.log');
  writeFileSync(
    join(dir, 'rsyslog.conf'),
    `global(workDirectory="${dir}")
module(load="imtcp")
module(load="omelasticsearch")
template(name="vigil-json" type="list" option.jsonf="on") {
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="program" name="programname" format="jsonf")
  property(outname="severity" name="syslogseverity-text" format="jsonf")
  property(outname="facility" name="syslogfacility-text" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
}
ruleset(name="ship") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="${esPort}"
         searchIndex="${index}" template="vigil-json" bulkmode="on" esVersion.major="8"
         errorfile="${errors}" action.resumeRetryCount="-1" queue.type="linkedList"
         queue.dequeueBatchSize="100" queue.timeoutEnqueue="0")
}
input(type="imtcp" port="${port}" ruleset="ship")
`,
  );
  const child = spawn(
    RSYSLOGD,
    ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  const log = () => out + (existsSync(errors) ? readFileSync(errors, 'utf8') : '');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`rsyslogd did not start listening:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    log,
    send: (lines) =>
      new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () =>
          s.end(lines.map((l) => `${l}\n`).join(''), resolve),
        );
        s.on('error', reject);
      }),
  };
}
