/**
 * @module
 * Runs a parsed Go template against data, with Go's semantics where users see them: a missing
 * map key is the zero value (Prometheus' `missingkey=zero`), truth is "non-empty", `range`
 * walks arrays and sorted map keys, and the last command's value is passed on as the final
 * argument of the next. Functions may return promises (a template's `query` reads the TSDB),
 * so execution is async.
 */

import { formatValue, sprintf } from './gofmt.js';
import type { Arg, Control, Node, Pipe, Template } from './parse.js';

export type TemplateFunction = (...args: unknown[]) => unknown;

/** A failure while running a template: a function's error or a bad operation, at `line`. */
export class TemplateExecError extends Error {
  constructor(
    readonly template: string,
    readonly line: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`template: ${template}:${line}: executing "${template}": ${reason}`, options);
    this.name = 'TemplateExecError';
  }
}

class Break {}
class Continue {}

/** How a template runs beyond its functions. */
export interface ExecuteOptions {
  /**
   * What a missing map key yields: `zero` an empty string (Prometheus' `missingkey=zero`),
   * `default` no value, printed `<no value>` as Go's default does (Alertmanager). Default `zero`.
   */
  missingKey?: 'zero' | 'default';
  /**
   * Applied to what each action prints (not to the template's own text), given the printed
   * string and the value: HTML escaping for notification bodies rendered as Go's html/template.
   */
  escape?: (printed: string, value: unknown) => string;
}

/**
 * Renders `t` with `data` as dot, calling `functions` by name.
 *
 * Data may carry methods, as Go values do: a property whose name starts with a capital letter
 * and whose value is a function is called with the receiver as `this` — without arguments in
 * the middle of a chain (`.Alerts.Firing`), with the command's arguments at its end
 * (`.CommonLabels.Remove .GroupLabels.Names`).
 *
 * @throws {TemplateExecError}
 * @example
 * await execute(parseTemplate('t', 'up is {{ . }}', new Set()), 1, new Map()); // 'up is 1'
 */
export async function execute(
  t: Template,
  data: unknown,
  functions: ReadonlyMap<string, TemplateFunction>,
  options: ExecuteOptions = {},
): Promise<string> {
  const st = new State(t, functions, options);
  const out: string[] = [];
  await st.list(t.root, data, [{ name: '$', value: data }], out);
  return out.join('');
}

interface Var {
  name: string;
  value: unknown;
}

class State {
  #depth = 0;

  constructor(
    readonly t: Template,
    readonly functions: ReadonlyMap<string, TemplateFunction>,
    readonly options: ExecuteOptions,
  ) {}

  async list(nodes: readonly Node[], dot: unknown, vars: Var[], out: string[]): Promise<void> {
    const mark = vars.length;
    for (const n of nodes) await this.node(n, dot, vars, out);
    vars.length = mark;
  }

  async node(n: Node, dot: unknown, vars: Var[], out: string[]): Promise<void> {
    switch (n.kind) {
      case 'text':
        out.push(n.text);
        return;
      case 'action': {
        const v = await this.pipe(n.pipe, dot, vars);
        if (n.pipe.decl.length === 0) {
          const printed = formatValue(v);
          out.push(this.options.escape === undefined ? printed : this.options.escape(printed, v));
        }
        return;
      }
      case 'if':
      case 'with': {
        const mark = vars.length;
        const v = await this.pipe(n.pipe, dot, vars);
        if (truth(v)) await this.list(n.list, n.kind === 'with' ? v : dot, vars, out);
        else if (n.elseList !== null) await this.list(n.elseList, dot, vars, out);
        vars.length = mark;
        return;
      }
      case 'range':
        return this.range(n, dot, vars, out);
      case 'template': {
        const body = this.t.defined.get(n.name);
        if (body === undefined) this.fail(n.line, `no such template ${JSON.stringify(n.name)}`);
        // Go limits recursion depth too; a template that includes itself would never end.
        if (++this.#depth > 1000) this.fail(n.line, 'exceeded maximum template depth (1000)');
        const arg = n.pipe === null ? null : await this.pipe(n.pipe, dot, vars);
        await this.list(body, arg, [{ name: '$', value: arg }], out);
        this.#depth--;
        return;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  async range(n: Control, dot: unknown, vars: Var[], out: string[]): Promise<void> {
    const mark = vars.length;
    const v = await this.pipe({ ...n.pipe, decl: [] }, dot, vars);
    let entries: [unknown, unknown][];
    if (Array.isArray(v)) entries = v.map((e, i) => [i, e]);
    else if (typeof v === 'number' && Number.isInteger(v))
      entries = Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
    else if (v !== null && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      entries = Object.keys(rec)
        .sort()
        .map((k) => [k, rec[k]]);
    } else if (v === null || v === undefined) entries = [];
    else this.fail(n.pipe.line, `range can't iterate over ${formatValue(v)}`);
    if (entries.length === 0) {
      if (n.elseList !== null) await this.list(n.elseList, dot, vars, out);
      vars.length = mark;
      return;
    }
    for (const [k, e] of entries) {
      const inner = vars.length;
      if (n.pipe.decl.length === 1) this.setVar(vars, n.pipe.decl[0]!, e, n.pipe.assign);
      if (n.pipe.decl.length === 2) {
        this.setVar(vars, n.pipe.decl[0]!, k, n.pipe.assign);
        this.setVar(vars, n.pipe.decl[1]!, e, n.pipe.assign);
      }
      try {
        await this.list(n.list, e, vars, out);
      } catch (err) {
        if (err instanceof Break) break;
        if (!(err instanceof Continue)) throw err;
      }
      vars.length = inner;
    }
    vars.length = mark;
  }

  setVar(vars: Var[], name: string, value: unknown, assign: boolean): void {
    if (assign) {
      for (let i = vars.length - 1; i >= 0; i--) {
        if (vars[i]!.name === name) {
          vars[i]!.value = value;
          return;
        }
      }
    }
    vars.push({ name, value });
  }

  async pipe(p: Pipe, dot: unknown, vars: Var[]): Promise<unknown> {
    let value: unknown = undefined;
    let first = true;
    for (const cmd of p.cmds) {
      value = await this.command(cmd, dot, vars, p.line, first ? [] : [value]);
      first = false;
    }
    for (const d of p.decl) this.setVar(vars, d, value, p.assign);
    return value;
  }

  async command(
    cmd: readonly Arg[],
    dot: unknown,
    vars: Var[],
    line: number,
    final: unknown[],
  ): Promise<unknown> {
    const head = cmd[0]!;
    if (head.kind === 'function') {
      const args: unknown[] = [];
      // `and` and `or` stop at the first deciding argument, as Go's do since 1.18.
      if (head.name === 'and' || head.name === 'or') {
        let v: unknown = undefined;
        for (const a of cmd.slice(1)) {
          v = await this.arg(a, dot, vars, line);
          if (truth(v) === (head.name === 'or')) return v;
        }
        for (const f of final) v = f;
        return v;
      }
      for (const a of cmd.slice(1)) args.push(await this.arg(a, dot, vars, line));
      args.push(...final);
      return this.call(head.name, args, line);
    }
    if (cmd.length > 1 || final.length > 0) {
      const method = await this.methodHead(head, dot, vars, line);
      if (method === null) {
        this.fail(line, `can't give argument to non-function ${describeArg(head)}`);
      }
      const args: unknown[] = [];
      for (const a of cmd.slice(1)) args.push(await this.arg(a, dot, vars, line));
      args.push(...final);
      return this.invoke(method.receiver, method.name, args, line);
    }
    return this.arg(head, dot, vars, line);
  }

  async arg(a: Arg, dot: unknown, vars: Var[], line: number): Promise<unknown> {
    switch (a.kind) {
      case 'dot':
        return dot;
      case 'literal':
        return a.value;
      case 'field':
        return this.chain(dot, a.chain, line);
      case 'variable': {
        const v = [...vars].reverse().find((x) => x.name === a.name);
        if (v === undefined) this.fail(line, `undefined variable: ${a.name}`);
        return this.chain(v.value, a.chain, line);
      }
      case 'pipe':
        return this.chain(await this.pipe(a.pipe, dot, [...vars]), a.chain, line);
      case 'function':
        return this.call(a.name, [], line);
    }
  }

  chain(v: unknown, chain: readonly string[], line: number): unknown {
    for (const f of chain) {
      if (v === null || v === undefined) this.fail(line, `nil pointer evaluating .${f}`);
      if (typeof v !== 'object') this.fail(line, `can't evaluate field ${f} in type ${typeof v}`);
      if (isMethod(v, f)) v = this.invoke(v, f, [], line);
      else if (Object.hasOwn(v, f)) v = (v as Record<string, unknown>)[f];
      else v = this.options.missingKey === 'default' ? undefined : '';
    }
    return v;
  }

  /** The receiver and name of a command head ending in a method, or null when it does not. */
  async methodHead(
    head: Arg,
    dot: unknown,
    vars: Var[],
    line: number,
  ): Promise<{ receiver: object; name: string } | null> {
    if (head.kind !== 'field' && head.kind !== 'variable' && head.kind !== 'pipe') return null;
    if (head.chain.length === 0) return null;
    const receiver = await this.arg(
      { ...head, chain: head.chain.slice(0, -1) } as Arg,
      dot,
      vars,
      line,
    );
    const name = head.chain[head.chain.length - 1]!;
    if (receiver === null || typeof receiver !== 'object' || !isMethod(receiver, name)) return null;
    return { receiver, name };
  }

  invoke(receiver: object, name: string, args: unknown[], line: number): unknown {
    try {
      return ((receiver as Record<string, unknown>)[name] as TemplateFunction).apply(
        receiver,
        args,
      );
    } catch (err) {
      this.fail(line, `error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async call(name: string, args: unknown[], line: number): Promise<unknown> {
    const fn = this.functions.get(name) ?? BUILTINS.get(name);
    if (fn === undefined) this.fail(line, `function ${JSON.stringify(name)} not defined`);
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof TemplateExecError) throw err;
      this.fail(
        line,
        `error calling ${name}: ${err instanceof Error ? err.message : String(err)}`,
        err,
      );
    }
  }

  fail(line: number, reason: string, cause?: unknown): never {
    throw new TemplateExecError(
      this.t.name,
      line,
      reason,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Go's exported methods: a capitalised name bound to a function. */
function isMethod(v: object, name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90 && typeof (v as Record<string, unknown>)[name] === 'function';
}

function describeArg(a: Arg): string {
  switch (a.kind) {
    case 'field':
      return `.${a.chain.join('.')}`;
    case 'variable':
      return [a.name, ...a.chain].join('.');
    case 'literal':
      return formatValue(a.value);
    default:
      return a.kind;
  }
}

/** Go's truth: false, 0, nil, and empty strings, arrays and maps are false. */
export function truth(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (
    typeof a !== typeof b ||
    (typeof a !== 'number' && typeof a !== 'string' && op !== 'eq' && op !== 'ne')
  ) {
    if (op === 'eq') return false;
    if (op === 'ne') return true;
    throw new Error('incompatible types for comparison');
  }
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
    case 'gt':
      return x > y;
    default:
      return x >= y;
  }
}

const BUILTINS = new Map<string, TemplateFunction>([
  ['not', (a) => !truth(a)],
  [
    'len',
    (a) =>
      typeof a === 'string'
        ? Buffer.byteLength(a)
        : Array.isArray(a)
          ? a.length
          : a !== null && typeof a === 'object'
            ? Object.keys(a).length
            : fail(`len of ${formatValue(a)}`),
  ],
  [
    'index',
    (a, ...keys) => {
      let v = a;
      for (const k of keys) {
        if (Array.isArray(v) && typeof k === 'number') {
          if (k < 0 || k >= v.length) throw new Error(`index out of range: ${k}`);
          v = v[k];
        } else if (v !== null && typeof v === 'object' && typeof k === 'string') {
          v = Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : '';
        } else throw new Error(`can't index item of type ${typeof v}`);
      }
      return v;
    },
  ],
  [
    'slice',
    (a, i = 0, j) =>
      typeof a === 'string' || Array.isArray(a)
        ? a.slice(i as number, j as number | undefined)
        : fail('cannot slice'),
  ],
  [
    'print',
    (...args) =>
      args
        .map(
          (a, i) =>
            (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') +
            formatValue(a),
        )
        .join(''),
  ],
  ['println', (...args) => `${args.map(formatValue).join(' ')}\n`],
  ['printf', (f, ...args) => sprintf(String(f), args)],
  ['eq', (a, ...bs) => bs.some((b) => compare('eq', a, b))],
  ['ne', (a, b) => compare('ne', a, b)],
  ['lt', (a, b) => compare('lt', a, b)],
  ['le', (a, b) => compare('le', a, b)],
  ['gt', (a, b) => compare('gt', a, b)],
  ['ge', (a, b) => compare('ge', a, b)],
  [
    'html',
    (...args) =>
      args
        .map(formatValue)
        .join('')
        .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!),
  ],
  [
    'js',
    (...args) => JSON.stringify(args.map(formatValue).join('')).slice(1, -1).replace(/'/g, "\\'"),
  ],
  [
    'urlquery',
    (...args) => encodeURIComponent(args.map(formatValue).join('')).replace(/%20/g, '+'),
  ],
  [
    'call',
    (fn, ...args) =>
      typeof fn === 'function' ? (fn as TemplateFunction)(...args) : fail('call of non-function'),
  ],
]);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

function fail(reason: string): never {
  throw new Error(reason);
}
