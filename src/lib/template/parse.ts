/**
 * @module
 * The parser of Go's `text/template` syntax into a tree {@link execute} runs. As in Go, an
 * unknown function or an undeclared `$variable` is a parse error, so a rule file with either is
 * refused when it is loaded rather than when an alert fires.
 */

import { lex, TemplateSyntaxError, type Token } from './lex.js';

export type Arg =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly chain: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly chain: readonly string[] }
  | { readonly kind: 'function'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'pipe'; readonly pipe: Pipe; readonly chain: readonly string[] };

export interface Pipe {
  readonly line: number;
  /** Variables the pipeline declares (`$x :=`) or assigns (`$x =`). */
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly (readonly Arg[])[];
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipe }
  | Control
  | {
      readonly kind: 'template';
      readonly line: number;
      readonly name: string;
      readonly pipe: Pipe | null;
    }
  | { readonly kind: 'break' | 'continue'; readonly line: number };

/** `{{if}}`, `{{with}}` or `{{range}}` with its body and optional `{{else}}` branch. */
export interface Control {
  readonly kind: 'if' | 'with' | 'range';
  readonly pipe: Pipe;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | null;
}

/** A parsed template: its main body and the templates it `define`s. */
export interface Template {
  readonly name: string;
  readonly root: readonly Node[];
  readonly defined: ReadonlyMap<string, readonly Node[]>;
}

/**
 * Parses `src`, accepting calls only to the functions in `functions`.
 *
 * @throws {TemplateSyntaxError} at the line of the problem.
 * @example
 * const t = parseTemplate('t', '{{ $labels := .Labels }}{{ $labels.job }}', new Set());
 */
export function parseTemplate(name: string, src: string, functions: ReadonlySet<string>): Template {
  return new Parser(name, lex(src), functions).parse();
}

const BUILTINS = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'html',
  'js',
  'urlquery',
  'call',
]);

type End = 'end' | 'else';

class Parser {
  #pos = 0;
  #vars: string[][] = [['$']];
  #loops = 0;
  readonly #defined = new Map<string, Node[]>();

  constructor(
    readonly name: string,
    readonly tokens: Token[],
    readonly functions: ReadonlySet<string>,
  ) {}

  parse(): Template {
    const { list, end } = this.#list(true);
    if (end !== null) this.#fail(`unexpected {{${end}}}`);
    return { name: this.name, root: list, defined: this.#defined };
  }

  #peek(): Token {
    return this.tokens[this.#pos]!;
  }

  #next(): Token {
    return this.tokens[this.#pos++]!;
  }

  #nonSpace(): Token {
    let t = this.#next();
    while (t.type === 'space') t = this.#next();
    return t;
  }

  #peekNonSpace(): Token {
    const save = this.#pos;
    const t = this.#nonSpace();
    this.#pos = save;
    return t;
  }

  #fail(reason: string, line = this.tokens[Math.max(0, this.#pos - 1)]!.line): never {
    throw new TemplateSyntaxError(line, reason);
  }

  /** Nodes up to `{{end}}`/`{{else}}` (returned in `end`), or to EOF when `top`. */
  #list(top: boolean): { list: Node[]; end: End | null } {
    const list: Node[] = [];
    for (;;) {
      const t = this.#next();
      if (t.type === 'eof') {
        if (!top) this.#fail('unexpected EOF', t.line);
        return { list, end: null };
      }
      if (t.type === 'text') {
        list.push({ kind: 'text', text: t.text });
        continue;
      }
      const k = this.#peekNonSpace();
      if (k.type === 'keyword') {
        this.#nonSpace();
        switch (k.text) {
          case 'end':
          case 'else':
            if (top) this.#fail(`unexpected {{${k.text}}}`, k.line);
            if (k.text === 'end') this.#close();
            return { list, end: k.text };
          case 'if':
          case 'with':
          case 'range':
            list.push(this.#control(k.text, k.line));
            continue;
          case 'template':
            list.push(this.#templateCall(k.line));
            continue;
          case 'define':
            if (!top) this.#fail('unexpected {{define}}', k.line);
            this.#define();
            continue;
          case 'break':
          case 'continue':
            if (this.#loops === 0) this.#fail(`{{${k.text}}} outside {{range}}`, k.line);
            this.#close();
            list.push({ kind: k.text, line: k.line });
            continue;
          default:
            this.#fail(`unexpected keyword ${k.text}`, k.line);
        }
      }
      list.push({ kind: 'action', pipe: this.#pipe(k.line, 'command', true) });
    }
  }

  #close(): void {
    const t = this.#nonSpace();
    if (t.type !== 'rightDelim') this.#fail(`unexpected ${describe(t)} in end`, t.line);
  }

  #control(kind: 'if' | 'with' | 'range', line: number): Node {
    this.#vars.push([]);
    const pipe = this.#pipe(line, kind, kind === 'range');
    if (kind === 'range') this.#loops++;
    const body = this.#list(false);
    if (kind === 'range') this.#loops--;
    let elseList: Node[] | null = null;
    if (body.end === 'else') {
      // `{{else if …}}` is an `if` nested in the else branch that shares this `{{end}}`.
      const n = this.#peekNonSpace();
      if ((kind === 'if' || kind === 'with') && n.type === 'keyword' && n.text === kind) {
        this.#nonSpace();
        elseList = [this.#control(kind, n.line)];
      } else {
        this.#close();
        const rest = this.#list(false);
        if (rest.end !== 'end') this.#fail(`expected end; found {{else}}`);
        elseList = rest.list;
      }
    }
    this.#vars.pop();
    return { kind, pipe, list: body.list, elseList };
  }

  #templateCall(line: number): Node {
    const t = this.#nonSpace();
    if (t.type !== 'string') this.#fail(`unexpected ${describe(t)} in template clause`, t.line);
    const name = unquote(t.text, t.line);
    const n = this.#peekNonSpace();
    if (n.type === 'rightDelim') {
      this.#nonSpace();
      return { kind: 'template', line, name, pipe: null };
    }
    return { kind: 'template', line, name, pipe: this.#pipe(line, 'template', false) };
  }

  #define(): void {
    const t = this.#nonSpace();
    if (t.type !== 'string') this.#fail(`unexpected ${describe(t)} in define clause`, t.line);
    this.#close();
    const saved = this.#vars;
    this.#vars = [['$']];
    const body = this.#list(false);
    this.#vars = saved;
    if (body.end !== 'end') this.#fail('unexpected {{else}} in define');
    this.#defined.set(unquote(t.text, t.line), body.list);
  }

  /** A pipeline up to `}}` (or `)` when `context` is 'parenthesized'). */
  #pipe(line: number, context: string, allowTwoVars: boolean): Pipe {
    const decl: string[] = [];
    let assign = false;
    // Look ahead for `$x :=`, `$x =` or `$i, $e :=`.
    const save = this.#pos;
    const v = this.#nonSpace();
    if (v.type === 'variable') {
      const op = this.#nonSpace();
      if (op.type === 'declare' || op.type === 'assign') {
        decl.push(v.text);
        assign = op.type === 'assign';
      } else if (op.type === 'comma' && allowTwoVars) {
        const v2 = this.#nonSpace();
        const op2 = this.#nonSpace();
        if (v2.type !== 'variable' || (op2.type !== 'declare' && op2.type !== 'assign')) {
          this.#fail(`too many declarations in ${context}`, v.line);
        }
        decl.push(v.text, v2.text);
        assign = op2.type === 'assign';
      } else {
        this.#pos = save;
      }
    } else {
      this.#pos = save;
    }
    if (assign) for (const d of decl) this.#checkVar(d, v.line);
    const cmds: Arg[][] = [];
    const end = context === 'parenthesized' ? 'rightParen' : 'rightDelim';
    let cmd: Arg[] = [];
    for (;;) {
      const t = this.#nonSpace();
      if (t.type === end || t.type === 'pipe') {
        if (cmd.length === 0)
          this.#fail(
            t.type === 'pipe' ? 'missing command' : `missing value for ${context}`,
            t.line,
          );
        cmds.push(cmd);
        cmd = [];
        if (t.type === end) break;
        continue;
      }
      if (t.type === 'eof' || t.type === 'rightDelim' || t.type === 'rightParen') {
        this.#fail(
          t.type === 'eof' ? 'unclosed action' : `unexpected ${describe(t)} in operand`,
          t.line,
        );
      }
      cmd.push(this.#operand(t));
    }
    if (!assign) this.#vars[this.#vars.length - 1]!.push(...decl);
    return { line, decl, assign, cmds };
  }

  #operand(t: Token): Arg {
    let arg: Arg;
    switch (t.type) {
      case 'dot':
        arg = { kind: 'dot' };
        break;
      case 'field':
        arg = { kind: 'field', chain: t.text.slice(1).split('.') };
        break;
      case 'variable': {
        this.#checkVar(t.text, t.line);
        arg = { kind: 'variable', name: t.text, chain: [] };
        break;
      }
      case 'identifier':
        if (!BUILTINS.has(t.text) && !this.functions.has(t.text)) {
          this.#fail(`function ${JSON.stringify(t.text)} not defined`, t.line);
        }
        arg = { kind: 'function', name: t.text };
        break;
      case 'string':
        arg = { kind: 'literal', value: unquote(t.text, t.line) };
        break;
      case 'number': {
        const n = Number(t.text.replace(/_/g, ''));
        if (Number.isNaN(n)) this.#fail(`bad number syntax: ${JSON.stringify(t.text)}`, t.line);
        arg = { kind: 'literal', value: n };
        break;
      }
      case 'bool':
        arg = { kind: 'literal', value: t.text === 'true' };
        break;
      case 'nil':
        arg = { kind: 'literal', value: null };
        break;
      case 'leftParen':
        arg = { kind: 'pipe', pipe: this.#pipe(t.line, 'parenthesized', false), chain: [] };
        break;
      default:
        this.#fail(`unexpected ${describe(t)} in operand`, t.line);
    }
    // Field chains after a variable or a parenthesized pipeline: `$labels.job`, `(query "x").Value`.
    while (this.#peek().type === 'field') {
      const f = this.#next().text.slice(1).split('.');
      if (arg.kind === 'variable' || arg.kind === 'pipe' || arg.kind === 'field') {
        arg = { ...arg, chain: [...arg.chain, ...f] };
      } else {
        this.#fail(`unexpected . after term ${JSON.stringify(t.text)}`, t.line);
      }
    }
    if (arg.kind === 'variable' && arg.name.includes('.')) this.#fail('bad variable', t.line);
    return arg;
  }

  #checkVar(name: string, line: number): void {
    if (!this.#vars.some((scope) => scope.includes(name))) {
      this.#fail(`undefined variable ${JSON.stringify(name)}`, line);
    }
  }
}

function describe(t: Token): string {
  return t.type === 'eof' ? 'EOF' : JSON.stringify(t.text);
}

/** A Go string literal's value: `"…"` with Go's escapes, or a raw `` `…` `` string. */
function unquote(text: string, line: number): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    // Go's escapes are a superset of JSON's for the cases users write (\n, \t, \", \\, \u).
    return JSON.parse(
      text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007'),
    ) as string;
  } catch {
    throw new TemplateSyntaxError(line, `invalid syntax: ${text}`);
  }
}
