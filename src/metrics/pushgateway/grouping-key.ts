/**
 * @module
 * The grouping key of a push URL: `/metrics/job/<job>{/<label>/<value>}`, where `job@base64` or
 * `<label>@base64` marks the next segment as URL-safe base64 (RFC 4648 §5, padding optional, a
 * lone `=` for an empty value). The path is read after percent-decoding, as the Pushgateway's Go
 * router reads it, so an encoded `%2F` separates segments there too: base64 is the only way to
 * put a `/` in a value.
 */

import { GroupingKeyError } from './errors.js';
import { isValidLabelName, type GroupingLabels } from './family.js';

const BASE64_SUFFIX = '@base64';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes URL-safe base64 strictly: trailing `=` are ignored, any other character outside the
 * alphabet is an error (Node's own decoder would skip it), and so is invalid UTF-8.
 *
 * @example
 * decodeBase64Url('L3Zhci90bXA'); // '/var/tmp'
 * decodeBase64Url('='); // ''
 */
export function decodeBase64Url(s: string): string | undefined {
  const trimmed = s.replace(/=+$/, '');
  if (!BASE64URL.test(trimmed) || trimmed.length % 4 === 1) return undefined;
  try {
    return utf8.decode(Buffer.from(trimmed, 'base64url'));
  } catch {
    return undefined;
  }
}

/**
 * The grouping labels named by `path`, the decoded request path from `/metrics/job` on. Throws
 * {@link GroupingKeyError} for what the Pushgateway answers 400 to; returns undefined when the
 * path is not a push path at all (404).
 *
 * @example
 * parseGroupingPath('/metrics/job/backup/path@base64/L3Zhci90bXA');
 * // { job: 'backup', path: '/var/tmp' }
 */
export function parseGroupingPath(path: string): GroupingLabels | undefined {
  let rest: string;
  let jobBase64: boolean;
  if (path.startsWith('/metrics/job/')) {
    rest = path.slice('/metrics/job/'.length);
    jobBase64 = false;
  } else if (path.startsWith(`/metrics/job${BASE64_SUFFIX}/`)) {
    rest = path.slice(`/metrics/job${BASE64_SUFFIX}/`.length);
    jobBase64 = true;
  } else {
    return undefined;
  }
  const slash = rest.indexOf('/');
  let job = slash === -1 ? rest : rest.slice(0, slash);
  const labelPath = slash === -1 ? '' : rest.slice(slash);
  if (jobBase64) {
    const decoded = decodeBase64Url(job);
    if (decoded === undefined) {
      throw new GroupingKeyError(`invalid base64 encoding in job name ${JSON.stringify(job)}`);
    }
    job = decoded;
  }
  // A path ending in `/` after the job names no labels; after a label pair it is an odd segment.
  const labels: Record<string, string> = {};
  if (labelPath.length > 1) {
    const parts = labelPath.slice(1).split('/');
    if (parts.length % 2 !== 0) {
      throw new GroupingKeyError(
        `odd number of components in label string ${JSON.stringify(labelPath)}`,
      );
    }
    for (let i = 0; i < parts.length; i += 2) {
      const raw = parts[i]!;
      const base64 = raw.endsWith(BASE64_SUFFIX);
      const name = base64 ? raw.slice(0, -BASE64_SUFFIX.length) : raw;
      if (!isValidLabelName(name)) {
        throw new GroupingKeyError(`improper label name ${JSON.stringify(name)}`);
      }
      let value = parts[i + 1]!;
      if (value === '') {
        throw new GroupingKeyError(
          `empty value for label ${JSON.stringify(name)}: encode an empty value as ${name}@base64/=`,
        );
      }
      if (base64) {
        const decoded = decodeBase64Url(value);
        if (decoded === undefined) {
          throw new GroupingKeyError(
            `invalid base64 encoding for label ${name}=${JSON.stringify(value)}`,
          );
        }
        value = decoded;
      }
      labels[name] = value;
    }
  }
  if (job === '') throw new GroupingKeyError('job name is required');
  // The job segment wins over a `job` label later in the path.
  labels.job = job;
  return labels;
}
