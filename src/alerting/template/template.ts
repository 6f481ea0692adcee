/**
 * @module
 * The templates of one alertmanager.yml: the defaults, then the files its `templates:` globs
 * name (relative to the configuration's directory; later definitions replace earlier ones),
 * and the rendering of an integration's fields with them — as text, or as HTML where every
 * printed value is escaped unless marked safe (Alertmanager renders email bodies with Go's
 * html/template). Template files are parsed when the Alertmanager starts, so a broken one
 * stops it with the file and line; a field's own template is parsed on first use and kept.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expandGlob } from '../../lib/fs/path-glob.js';
import { execute, type TemplateFunction } from '../../lib/template/exec.js';
import { TemplateSyntaxError } from '../../lib/template/lex.js';
import { parseTemplate, type Node, type Template } from '../../lib/template/parse.js';
import type { TemplateData } from './data.js';
import { DEFAULT_TEMPLATES } from './defaults.js';
import { escapeHtml, NOTIFICATION_FUNCTION_NAMES, notificationFunctions } from './functions.js';

/** A template file or field that does not parse. */
export class TemplateLoadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot parse template ${file}:${line}: ${reason}`, options);
    this.name = 'TemplateLoadError';
  }
}

/** Most field templates kept parsed; configurations hold a few dozen. */
const FIELD_CACHE_LIMIT = 1000;

export class NotificationTemplates {
  readonly #defined: ReadonlyMap<string, readonly Node[]>;
  readonly #functions: ReadonlyMap<string, TemplateFunction>;
  readonly #fields = new Map<string, Template>();
  /** The files read, for the start-up log. */
  readonly files: readonly string[];

  /**
   * Parses the defaults and every file `patterns` match.
   *
   * @param now the clock `since` reads.
   * @throws {TemplateLoadError} naming the file and line of the first problem.
   * @example
   * const templates = NotificationTemplates.load(config.templates, dirname(configFile), () => clock.now());
   */
  static load(
    patterns: readonly string[],
    baseDir: string,
    now: () => number,
  ): NotificationTemplates {
    const sources: [string, string][] = [['default.tmpl', DEFAULT_TEMPLATES]];
    const files: string[] = [];
    for (const p of patterns) {
      for (const file of expandGlob(resolve(baseDir, p)).files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          throw new TemplateLoadError(file, 0, (err as Error).message, { cause: err });
        }
        sources.push([file, text]);
        files.push(file);
      }
    }
    return new NotificationTemplates(sources, files, now);
  }

  private constructor(sources: [string, string][], files: string[], now: () => number) {
    const defined = new Map<string, readonly Node[]>();
    for (const [file, text] of sources) {
      for (const [name, body] of parse(file, text).defined) defined.set(name, body);
    }
    this.#defined = defined;
    this.#functions = notificationFunctions(now);
    this.files = files;
  }

  /**
   * Renders `src` (a field of an integration's configuration) as text.
   *
   * @throws {TemplateLoadError} when `src` does not parse; {@link TemplateExecError} when it fails.
   */
  text(src: string, data: TemplateData): Promise<string> {
    return execute(this.#field(src), data, this.#functions, { missingKey: 'default' });
  }

  /** Renders `src` as HTML: printed values escaped unless `safeHtml`. */
  html(src: string, data: TemplateData): Promise<string> {
    return execute(this.#field(src), data, this.#functions, {
      missingKey: 'default',
      escape: escapeHtml,
    });
  }

  #field(src: string): Template {
    let t = this.#fields.get(src);
    if (t !== undefined) return t;
    const own = parse('field', src);
    const defined = new Map(this.#defined);
    for (const [name, body] of own.defined) defined.set(name, body);
    t = { name: own.name, root: own.root, defined };
    if (this.#fields.size >= FIELD_CACHE_LIMIT) this.#fields.clear();
    this.#fields.set(src, t);
    return t;
  }
}

function parse(file: string, text: string): Template {
  try {
    return parseTemplate(file, text, NOTIFICATION_FUNCTION_NAMES);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) {
      throw new TemplateLoadError(file, err.line, err.reason, { cause: err });
    }
    throw err;
  }
}
