/**
 * @module
 * The KQL query bar: a one-line CodeMirror 6 editor that colours the query as it is typed,
 * completes field names, field values and `and`/`or`, submits on Enter, and underlines the
 * position of the server's syntax error. Completion asks a {@link KqlCompleter}, a small
 * interface, not HTTP, so the editor does not know where fields come from.
 */
import {
  acceptCompletion,
  autocompletion,
  closeBrackets,
  completionStatus,
  insertCompletionText,
  pickedCompletion,
  startCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import { history, historyKeymap, defaultKeymap } from '@codemirror/commands';
import { setDiagnostics } from '@codemirror/lint';
import { EditorState, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  keymap,
  placeholder as placeholderExt,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { completionPlace } from './context';
import { escapeField, quoteValue } from './edit';
import type { KqlErrorInfo } from './serverError';
import { tokenizeKql } from './tokens';
import './kql.css';

/** Where completions come from. Both may reject; the editor then offers nothing. */
export interface KqlCompleter {
  /** Every field name that can be searched. */
  fields(): Promise<readonly string[]>;
  /** Frequent values of `field` starting with `prefix`. */
  values(field: string, prefix: string): Promise<readonly (string | number | boolean | null)[]>;
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = build(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = build(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

function build(view: EditorView): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  for (const t of tokenizeKql(view.state.doc.toString())) {
    b.add(t.from, t.to, Decoration.mark({ class: `kql-${t.type}` }));
  }
  return b.finish();
}

function completionSource(completer: KqlCompleter) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const place = completionPlace(ctx.state.doc.toString(), ctx.pos);
    if (place.kind === 'none') return null;
    if (place.kind === 'keyword') {
      return {
        from: place.from,
        options: ['and', 'or', 'and not'].map((k) => ({
          label: k,
          type: 'keyword',
          apply: `${k} `,
        })),
      };
    }
    try {
      if (place.kind === 'field') {
        const names = await completer.fields();
        return {
          from: place.from,
          options: names.map((n): Completion => ({
            label: n,
            type: 'property',
            // Inserts `field:` and opens the value list right away, as Kibana does.
            apply: (view, completion, from, to) => {
              const text = `${escapeField(n)}:`;
              view.dispatch({
                ...insertCompletionText(view.state, text, from, to),
                annotations: pickedCompletion.of(completion),
              });
              startCompletion(view);
            },
          })),
          validFor: /^[^\s():<>"{}]*$/,
        };
      }
      const prefix = place.quoted ? place.prefix.slice(1) : place.prefix;
      const values = await completer.values(place.field, prefix);
      return {
        from: place.from,
        options: values
          .filter((v): v is string | number | boolean => v !== null)
          .map((v) => ({
            // Typed text is matched against the bare value unless the user opened a quote.
            label: place.quoted ? quoteValue(v) : String(v),
            displayLabel: quoteValue(v),
            type: 'constant',
            apply: `${quoteValue(v)} `,
          })),
        filter: true,
      };
    } catch {
      return null;
    }
  };
}

export interface KqlEditorProps {
  /** The query last submitted; the editor shows it whenever it changes. */
  value: string;
  onSubmit: (query: string) => void;
  completer: KqlCompleter;
  error: KqlErrorInfo | undefined;
  placeholder?: string;
}

/**
 * @example
 * <KqlEditor value={q} onSubmit={setQ} completer={completer} error={err} />
 */
export function KqlEditor({ value, onSubmit, completer, error, placeholder }: KqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is built once; these refs let its handlers see the current props.
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  const complete = useRef(completer);
  complete.current = completer;

  useEffect(() => {
    const proxy: KqlCompleter = {
      fields: () => complete.current.fields(),
      values: (f, p) => complete.current.values(f, p),
    };
    const state = EditorState.create({
      doc: value,
      extensions: [
        history(),
        closeBrackets(),
        // No interaction delay: in a query bar, Enter on a visible completion means take it.
        autocompletion({
          override: [completionSource(proxy)],
          activateOnTyping: true,
          interactionDelay: 0,
        }),
        keymap.of([
          {
            key: 'Enter',
            run: (v) => {
              // A visible completion is never run past as a half-typed query.
              if (completionStatus(v.state) === 'active') return acceptCompletion(v) || true;
              submit.current(v.state.doc.toString());
              return true;
            },
          },
          ...historyKeymap,
          ...defaultKeymap,
        ]),
        // One line: newlines typed or pasted become spaces.
        EditorState.transactionFilter.of((tr) => {
          if (!tr.docChanged || tr.newDoc.lines === 1) return tr;
          const text = tr.newDoc.toString().replace(/\r?\n/g, ' ');
          return [
            tr,
            {
              changes: { from: 0, to: tr.newDoc.length, insert: text },
              sequential: true,
            },
          ];
        }),
        highlighter,
        placeholderExt(placeholder ?? ''),
        EditorView.contentAttributes.of({
          'aria-label': 'KQL query',
          'data-testid': 'kql-input',
        }),
      ],
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Built once: `value` changes arrive through the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v === null || v.state.doc.toString() === value) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v === null) return;
    const len = v.state.doc.length;
    const diagnostics =
      error === undefined
        ? []
        : [
            {
              // The character at the caret (the last one when the caret is past the end, so the
              // mark stays visible), or the whole query when the error has no caret.
              from: error.offset === undefined ? 0 : Math.max(0, Math.min(error.offset, len - 1)),
              to:
                error.offset === undefined
                  ? len
                  : Math.min(Math.max(0, Math.min(error.offset, len - 1)) + 1, len),
              severity: 'error' as const,
              message: error.message,
            },
          ];
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [error]);

  return <div className="kql-editor" ref={host} data-testid="kql-editor" />;
}
