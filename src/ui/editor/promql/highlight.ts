/**
 * @module
 * PromQL token colours for CodeMirror, taken from CSS variables so the dark and light themes
 * each get readable contrast without a second style.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';

/** The editor's highlight style; colours are defined in editor.css (`--hl-*`). */
export const promqlHighlightStyle = HighlightStyle.define([
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.keyword, color: 'var(--hl-keyword)', fontWeight: '600' },
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  { tag: tags.operator, color: 'var(--hl-operator)' },
  { tag: tags.modifier, color: 'var(--hl-keyword)' },
  { tag: tags.paren, color: 'var(--hl-paren)' },
  { tag: tags.squareBracket, color: 'var(--hl-paren)' },
  { tag: tags.brace, color: 'var(--hl-paren)' },
  { tag: tags.invalid, color: 'var(--bad-text)' },
  { tag: tags.comment, color: 'var(--text-muted)', fontStyle: 'italic' },
]);
