// The parts of CodeMirror 6 the query page uses, bundled into one module by build.js.
export {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  keymap,
  lineNumbers,
} from "@codemirror/view";
export { EditorSelection, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
export { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
export {
  StreamLanguage,
  bracketMatching,
  defaultHighlightStyle,
  syntaxHighlighting,
} from "@codemirror/language";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
