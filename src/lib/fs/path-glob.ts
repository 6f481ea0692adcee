/**
 * @module
 * Path patterns as log shippers take them: `/var/log/pods/*\/*\/*.log`. Each `/`-separated
 * element may hold `*` (any run of characters but `/`), `?` (one character), `[a-z]`/`[^a-z]`
 * (classes) and `\` (take the next character literally); an element `**` matches any number of
 * directories, none included. {@link expandGlob} lists the files a pattern names by reading only
 * the directories the pattern can reach, and reports those directories so a caller can watch them.
 */

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

const escape = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const escapeInClass = (c: string): string => c.replace(/[\\^[\]-]/g, '\\$&');

/** Whether a path element is a pattern rather than a literal name. */
export function hasGlobMeta(element: string): boolean {
  return /[*?[\\]/.test(element);
}

/** The regular-expression source of one path element, or why the element is invalid. */
function elementSource(element: string): string | Error {
  const chars = [...element];
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 === chars.length) {
        return new Error(`pattern ${JSON.stringify(element)} ends in a backslash`);
      }
      re += escape(chars[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = chars[j] === '^' ? (j++, '^') : '';
      const start = j;
      for (; j < chars.length && chars[j] !== ']'; j++) {
        const d = chars[j]!;
        if (d === '\\' && j + 1 < chars.length) cls += escapeInClass(chars[++j]!);
        else cls += d === '-' ? '-' : escapeInClass(d);
      }
      if (j === chars.length || j === start) {
        return new Error(`invalid character class in ${JSON.stringify(element)}`);
      }
      re += `[${cls}]`;
      i = j;
    } else re += escape(c);
  }
  return re;
}

/**
 * Compiles the pattern of one path element (a file name) to a RegExp matching whole names, or
 * returns why it is invalid.
 *
 * @example
 * (compileNameGlob('tg_*.json') as RegExp).test('tg_web.json'); // true
 * compileNameGlob('[a-.json'); // 'invalid character class in "[a-.json"'
 */
export function compileNameGlob(name: string): RegExp | string {
  const src = elementSource(name);
  if (src instanceof Error) return src.message;
  try {
    return new RegExp(`^${src}$`, 'su');
  } catch {
    return `invalid character class in ${JSON.stringify(name)}`;
  }
}

/**
 * Compiles a whole-path pattern to a RegExp.
 *
 * @throws {Error} naming the invalid element.
 * @example
 * compilePathGlob('/var/log/**\/*.gz').test('/var/log/pods/a/b/0.log.gz'); // true
 */
export function compilePathGlob(pattern: string): RegExp {
  const parts: string[] = [];
  const elements = pattern.split('/');
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (e === '**') {
      // `a/**/b` matches a/b and a/x/y/b: the `**/` swallows whole elements, or nothing.
      parts.push(i === elements.length - 1 ? '.*' : '(?:[^/]+/)*');
      continue;
    }
    const src = elementSource(e);
    if (src instanceof Error) throw new Error(`cannot compile pattern ${pattern}: ${src.message}`);
    parts.push(i === elements.length - 1 ? src : `${src}/`);
  }
  return new RegExp(`^${parts.join('')}$`, 'su');
}

/** What {@link expandGlob} found. */
export interface GlobExpansion {
  /** Regular files (symbolic links followed) whose path matches, sorted. */
  readonly files: string[];
  /** Directories read to find them; new matches can only appear in one of these. */
  readonly dirs: string[];
}

/**
 * Lists the files matching an absolute `pattern`. Unreadable or vanished directories are
 * skipped: files come and go while a node runs.
 *
 * @example
 * expandGlob('/var/log/pods/*\/*\/*.log').files; // ['/var/log/pods/ns_pod_uid/app/0.log', …]
 */
export function expandGlob(pattern: string): GlobExpansion {
  const elements = pattern.split('/');
  const files: string[] = [];
  const dirs: string[] = [];
  let i = 0;
  let base = elements[0] === '' ? '/' : '.';
  if (elements[0] === '') i = 1;
  // The literal prefix is walked without reading directories.
  while (i < elements.length - 1 && !hasGlobMeta(elements[i]!) && elements[i] !== '**') {
    base = join(base, elements[i]!);
    i++;
  }
  const rest = elements.slice(i);
  const matcher = compilePathGlob(join(base, ...rest));
  walk(base, rest, matcher, files, dirs);
  return { files: [...new Set(files)].sort(), dirs: [...new Set(dirs)].sort() };
}

function walk(
  dir: string,
  rest: readonly string[],
  matcher: RegExp,
  files: string[],
  dirs: string[],
): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  dirs.push(dir);
  const [head, ...tail] = rest as [string, ...string[]];
  if (head === '**') {
    walk(dir, tail, matcher, files, dirs);
    for (const e of entries) {
      if (isDir(dir, e)) walk(join(dir, e.name), rest, matcher, files, dirs);
    }
    return;
  }
  const re = hasGlobMeta(head) ? new RegExp(`^${elementSource(head) as string}$`, 'su') : null;
  for (const e of entries) {
    if (re === null ? e.name !== head : !re.test(e.name)) continue;
    const path = join(dir, e.name);
    if (tail.length === 0) {
      if (isFile(dir, e) && matcher.test(path)) files.push(path);
    } else if (isDir(dir, e)) {
      walk(path, tail, matcher, files, dirs);
    }
  }
}

// /var/log/containers holds symbolic links into /var/log/pods, so links are followed.
function isDir(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true;
  return e.isSymbolicLink() && statKind(join(dir, e.name)) === 'dir';
}

function isFile(dir: string, e: Dirent): boolean {
  if (e.isFile()) return true;
  return e.isSymbolicLink() && statKind(join(dir, e.name)) === 'file';
}

function statKind(path: string): 'dir' | 'file' | 'other' {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}
