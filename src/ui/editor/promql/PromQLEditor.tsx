/**
 * @module
 * The PromQL editor: CodeMirror 6 with codemirror-promql for highlighting, linting and
 * completion of functions, keywords, and — from the server's `/api/v1/labels`,
 * `/api/v1/label/<name>/values`, `/api/v1/series` and `/api/v1/metadata` — metric names, label
 * names and label values. Enter runs the query, Shift+Enter inserts a line break. An error the
 * server located in the expression is marked in the text as a lint diagnostic.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import {
  defaultKeymap,
  history,
  historyKeymap,
  insertNewlineAndIndent,
} from '@codemirror/commands';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { setDiagnostics } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightSpecialChars,
  keymap,
  placeholder,
} from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import type { ErrorPosition } from './error-position';
import { promqlHighlightStyle } from './highlight';

/** How long completion answers from the server are reused: metric names change slowly. */
const COMPLETION_CACHE_MS = 5 * 60_000;

/**
 * One shared extension: its client caches label and metric names for every editor on the page.
 * The server is the page's own origin (`url: ''` → relative `/api/v1/...` requests).
 */
const completion = {
  remote: { url: '', httpMethod: 'GET' as const, cache: { maxAge: COMPLETION_CACHE_MS } },
  maxMetricsMetadata: 10_000,
};
const promql = new PromQLExtension().setComplete(completion).activateLinter(true);
/**
 * Without the linter, for dashboard queries: their `$variables` (`[$__rate_interval]`) are not
 * PromQL until substituted, and the linter would mark them as errors.
 */
const promqlTemplate = new PromQLExtension().setComplete(completion).activateLinter(false);

const editorTheme = EditorView.theme({
  '&': { fontSize: '14px', backgroundColor: 'var(--surface)', color: 'var(--text)' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--text)', padding: '6px 0' },
  '&.cm-focused': { outline: 'none' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    border: '1px solid var(--border)',
    color: 'var(--text)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: '#fff',
  },
  '.cm-completionDetail': { color: 'var(--text-muted)', marginLeft: '0.5em' },
});

/** What a parent can do to the editor besides setting its text. */
export interface PromQLEditorHandle {
  /** Replaces the selection (or inserts at the cursor) with `text` and focuses the editor. */
  insert(text: string): void;
}

/**
 * @param props.value the expression; a change from outside (e.g. back/forward) replaces the text
 * @param props.onChange every edit
 * @param props.onSubmit Enter (without Shift) — run the query
 * @param props.serverError an error position from the last run, marked in the text
 * @example
 * <PromQLEditor value={expr} onChange={setExpr} onSubmit={run} serverError={located} />
 */
export function PromQLEditor({
  value,
  onChange,
  onSubmit,
  serverError,
  label,
  autoFocus = false,
  handleRef,
  lint = true,
}: {
  value: string;
  onChange: (expr: string) => void;
  onSubmit: () => void;
  serverError?: ErrorPosition;
  /** Accessible name of the text box. */
  label: string;
  autoFocus?: boolean;
  handleRef?: Ref<PromQLEditorHandle>;
  /** Mark syntax errors while typing; off for templates with `$variables`. */
  lint?: boolean;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  // Callbacks change every render; the editor reads them through refs so it is built only once.
  const onChangeRef = useRef(onChange);
  const onSubmitRef = useRef(onSubmit);
  useEffect(() => {
    onChangeRef.current = onChange;
    onSubmitRef.current = onSubmit;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (host === null) return;
    const submitKeys = Prec.highest(
      keymap.of([
        {
          key: 'Enter',
          run: () => {
            onSubmitRef.current();
            return true;
          },
        },
        { key: 'Shift-Enter', run: insertNewlineAndIndent },
        {
          key: 'Mod-Enter',
          run: () => {
            onSubmitRef.current();
            return true;
          },
        },
      ]),
    );
    const view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: value,
        extensions: [
          highlightSpecialChars(),
          history(),
          drawSelection(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          // Completion's own Enter (accept) must win over "run the query".
          Prec.highest(keymap.of(completionKeymap)),
          submitKeys,
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap]),
          syntaxHighlighting(promqlHighlightStyle),
          placeholder('Expression (press Shift+Enter for newlines)'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          editorTheme,
          (lint ? promql : promqlTemplate).asExtension(),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    if (autoFocus) view.focus();
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // Built once per mount; later `value` changes are applied by the effect below.
  }, []);

  useImperativeHandle(handleRef, () => ({
    insert(text: string) {
      const view = viewRef.current;
      if (view === null) return;
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    },
  }));

  useEffect(() => {
    const view = viewRef.current;
    if (view === null) return;
    const current = view.state.doc.toString();
    if (current !== value) {
      view.dispatch({ changes: { from: 0, to: current.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const view = viewRef.current;
    if (view === null) return;
    const length = view.state.doc.length;
    // An error at the very end ("unexpected end of input") marks the last character: an empty
    // range would draw only a point that is hard to see.
    const from = Math.max(0, Math.min(serverError?.offset ?? 0, length - 1));
    const diagnostics =
      serverError === undefined || length === 0
        ? []
        : [
            {
              from,
              to: from + 1,
              severity: 'error' as const,
              message: serverError.message,
              source: 'server',
            },
          ];
    view.dispatch(setDiagnostics(view.state, diagnostics));
  }, [serverError]);

  return <div ref={hostRef} className="promql-editor" data-testid="promql-editor" />;
}
