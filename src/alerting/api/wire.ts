/**
 * @module
 * Alertmanager API v2's JSON shapes (its OpenAPI spec's `gettableAlert`, `gettableSilence`,
 * `alertGroup`, `matcher`) built from Vigil's objects, and the reading of the request bodies
 * (`postableAlert`, `postableSilence`) with the spec's required fields.
 */

import type { Alert } from '../model/alert.js';
import { sortedLabels } from '../model/labels.js';
import type { MatcherError } from '../model/matchers.js';
import { Matcher } from '../model/matchers.js';
import { apiTime } from '../model/time.js';
import type { AlertStatus } from '../marker.js';
import { silenceState, type Silence, type SilenceInput } from '../silences.js';

/** A request the spec refuses; `status` 400 for bad values, 422 for a missing required field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function gettableAlert(a: Alert, status: AlertStatus, receivers: readonly string[]) {
  return {
    annotations: sortedLabels(a.annotations),
    endsAt: apiTime(a.endsAt),
    fingerprint: a.fingerprint,
    receivers: receivers.map((name) => ({ name })),
    startsAt: apiTime(a.startsAt),
    status: { inhibitedBy: status.inhibitedBy, silencedBy: status.silencedBy, state: status.state },
    updatedAt: apiTime(a.updatedAt),
    generatorURL: a.generatorURL,
    labels: sortedLabels(a.labels),
  };
}

export function gettableSilence(s: Silence, now: number) {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: apiTime(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: apiTime(s.endsAt),
    matchers: s.matchers.map((m) => ({
      isEqual: m.isEqual,
      isRegex: m.isRegex,
      name: m.name,
      value: m.value,
    })),
    startsAt: apiTime(s.startsAt),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function required(o: Record<string, unknown>, key: string, where: string): unknown {
  if (o[key] === undefined || o[key] === null) {
    throw new ApiError(422, `${where}${key} in body is required`);
  }
  return o[key];
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new ApiError(400, `${where} in body must be of type string`);
  return v;
}

/** An RFC 3339 date-time in ms; Go's zero time and absence are 0. */
export function parseDateTime(v: unknown, where: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const s = str(v, where);
  if (s.startsWith('0001-01-01T00:00:00')) return 0;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s)
    ? Date.parse(s)
    : NaN;
  if (Number.isNaN(ms))
    throw new ApiError(400, `${where} in body must be of type date-time: "${s}"`);
  return ms;
}

function labelMap(v: unknown, where: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new ApiError(400, `${where} in body must be of type object`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = str(val, `${where}.${k}`);
  return out;
}

export interface PostedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  startsAt: number;
  endsAt: number;
}

/** Reads a `postableAlerts` body. */
export function readPostableAlerts(body: unknown): PostedAlert[] {
  if (!Array.isArray(body)) throw new ApiError(400, 'alerts in body must be of type array');
  return body.map((item, i) => {
    const where = `${i}.`;
    if (!isObject(item)) throw new ApiError(400, `${i} in body must be of type object`);
    return {
      labels: labelMap(required(item, 'labels', where), `${where}labels`),
      annotations: labelMap(item.annotations, `${where}annotations`),
      generatorURL:
        item.generatorURL === undefined ? '' : str(item.generatorURL, `${where}generatorURL`),
      startsAt: parseDateTime(item.startsAt, `${where}startsAt`),
      endsAt: parseDateTime(item.endsAt, `${where}endsAt`),
    };
  });
}

/** Reads a `postableSilence` body. */
export function readPostableSilence(body: unknown): SilenceInput {
  if (!isObject(body)) throw new ApiError(400, 'silence in body must be of type object');
  for (const key of ['comment', 'createdBy', 'endsAt', 'matchers', 'startsAt']) {
    required(body, key, '');
  }
  const raw = body.matchers;
  if (!Array.isArray(raw)) throw new ApiError(400, 'matchers in body must be of type array');
  if (raw.length === 0) throw new ApiError(422, 'matchers in body should have at least 1 items');
  const matchers = raw.map((m, i) => {
    const where = `matchers.${i}.`;
    if (!isObject(m)) throw new ApiError(400, `matchers.${i} in body must be of type object`);
    const name = str(required(m, 'name', where), `${where}name`);
    const value = str(required(m, 'value', where), `${where}value`);
    const isRegex = required(m, 'isRegex', where) === true;
    const isEqual = m.isEqual === undefined ? true : m.isEqual === true;
    const type = isRegex ? (isEqual ? '=~' : '!~') : isEqual ? '=' : '!=';
    try {
      return new Matcher(type, name, value);
    } catch (err) {
      throw new ApiError(400, (err as MatcherError).message);
    }
  });
  return {
    id: body.id === undefined ? undefined : str(body.id, 'id'),
    matchers,
    startsAt: parseDateTime(body.startsAt, 'startsAt'),
    endsAt: parseDateTime(body.endsAt, 'endsAt'),
    createdBy: str(body.createdBy, 'createdBy'),
    comment: str(body.comment, 'comment'),
  };
}
