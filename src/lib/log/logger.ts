/**
 * @module
 * Structured logging to stderr in logfmt (the default, as Prometheus writes) or JSON, one line
 * per event with `ts`, `level`, `msg` and key/value context. A child logger carries fixed
 * fields (`component=tsdb`). The level can change at run time (config reload) and every child
 * follows, because children share their root's level holder.
 */

import { formatJsonLine, formatLogfmtLine } from './format.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Context fields of one log line; `Error` values print their message (and cause chain). */
export type LogFields = Record<string, unknown>;

const SEVERITY: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

interface Shared {
  level: LogLevel;
  format: LogFormat;
  write: (line: string) => void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where finished lines (with trailing newline) go; stderr by default. */
  write?: (line: string) => void;
}

export class Logger {
  readonly #shared: Shared;
  readonly #fields: LogFields;

  /**
   * @example
   * const log = new Logger({ level: 'info', format: 'logfmt' });
   * log.child({ component: 'http' }).info('listening', { address: '127.0.0.1:9700' });
   */
  constructor(options: LoggerOptions = {}, fields: LogFields = {}, shared?: Shared) {
    this.#shared = shared ?? {
      level: options.level ?? 'info',
      format: options.format ?? 'logfmt',
      write: options.write ?? ((line) => process.stderr.write(line)),
    };
    this.#fields = fields;
  }

  /** A logger that adds `fields` to every line and shares this logger's level and format. */
  child(fields: LogFields): Logger {
    return new Logger({}, { ...this.#fields, ...fields }, this.#shared);
  }

  get level(): LogLevel {
    return this.#shared.level;
  }

  get format(): LogFormat {
    return this.#shared.format;
  }

  /** Changes the format of this logger's whole family (root and every child). */
  setFormat(format: LogFormat): void {
    this.#shared.format = format;
  }

  /** Changes the level of this logger's whole family (root and every child). */
  setLevel(level: LogLevel): void {
    this.#shared.level = level;
  }

  enabled(level: LogLevel): boolean {
    return SEVERITY[level] >= SEVERITY[this.#shared.level];
  }

  debug(msg: string, fields?: LogFields): void {
    this.#log('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.#log('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.#log('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.#log('error', msg, fields);
  }

  #log(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.enabled(level)) return;
    const record: LogFields = { ts: new Date().toISOString(), level, ...this.#fields, msg };
    if (fields !== undefined) Object.assign(record, fields);
    const line = this.#shared.format === 'json' ? formatJsonLine(record) : formatLogfmtLine(record);
    this.#shared.write(line);
  }
}
