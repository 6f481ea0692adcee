/**
 * @module
 * `uname`: the `uname(2)` fields as labels of one info gauge. Node exposes all but the NIS domain
 * name through `node:os` (from libuv's `uname()` call); the domain name comes from
 * `/proc/sys/kernel/domainname`, which is the same kernel value.
 */
import { hostname, machine, release, type, version } from 'node:os';
import type { ExporterCollector, KernelPaths } from '../collector.js';
import { gauge, readOptional } from '../families.js';

/**
 * @example
 * unameCollector({ proc: '/proc', sys: '/sys' }).collect();
 */
export function unameCollector(paths: KernelPaths): ExporterCollector {
  return {
    name: 'uname',
    collect: () => [
      gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', [
        {
          labels: [
            [
              'domainname',
              (readOptional(`${paths.proc}/sys/kernel/domainname`) ?? '(none)').trim(),
            ],
            ['machine', machine()],
            ['nodename', hostname()],
            ['release', release()],
            ['sysname', type()],
            ['version', version()],
          ],
          value: 1,
        },
      ]),
    ],
  };
}
