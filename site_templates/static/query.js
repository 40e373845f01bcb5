// The query page: a SPARQL editor (CodeMirror 6), run where the reader chooses – in this browser
// (Oxigraph's WebAssembly build over the site's dump, in query-worker.js), on the site's /sparql
// (`oerkg serve`), or on the endpoint oerkg.toml names – with results as a table of labels.
// Without JavaScript the page still shows every example and its result, computed at build time.
import {
  Decoration,
  EditorSelection,
  EditorView,
  Prec,
  StateEffect,
  StateField,
  StreamLanguage,
  bracketMatching,
  defaultHighlightStyle,
  defaultKeymap,
  drawSelection,
  history as undoHistory,
  historyKeymap,
  keymap,
  lineNumbers,
  sparql,
  syntaxHighlighting,
} from "./vendor/codemirror.js";

const form = document.getElementById("query-form");
const site = form.dataset; // lang, suffix, root, base, ontology, dump, limit, triples, endpoint
const ui = JSON.parse(document.getElementById("query-strings").textContent);
const textarea = document.getElementById("query-text");
const results = document.getElementById("results");
const status = document.getElementById("query-status");
const progress = document.getElementById("query-progress");
const share = document.getElementById("share-link");
const stop = document.getElementById("query-stop");
const SHOWN = 1000; // rows drawn (and labelled); the downloads have them all
const LABELS = [
  "http://www.w3.org/2000/01/rdf-schema#label",
  "http://www.w3.org/2004/02/skos/core#prefLabel",
  "http://schema.org/name",
  "http://xmlns.com/foaf/0.1/name",
];
const XSD = "http://www.w3.org/2001/XMLSchema#";
const numbers = new Intl.NumberFormat(site.lang);
const languageNames = new Intl.DisplayNames([site.lang], { type: "language" });
const prefixes = [...document.querySelectorAll("#prefixes [data-prefix]")].map((li) => [
  li.dataset.prefix,
  li.dataset.namespace,
]);

const say = (key, ...args) => args.reduce((text, arg, i) => text.replace(`{${i}}`, arg), ui[key]);

// --- the editor ---------------------------------------------------------------------------------

const markError = StateEffect.define();
const errorMark = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(markError)) return effect.value;
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const editor = new EditorView({
  doc: textarea.value,
  extensions: [
    lineNumbers(),
    undoHistory(),
    drawSelection(),
    bracketMatching(),
    StreamLanguage.define(sparql),
    syntaxHighlighting(defaultHighlightStyle),
    EditorView.lineWrapping,
    errorMark,
    Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (form.requestSubmit(), true) }])),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.contentAttributes.of({
      "aria-labelledby": "query-label",
      "aria-describedby": "query-help",
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) {
        textarea.value = update.state.doc.toString();
        offerLink();
      }
    }),
  ],
});
textarea.hidden = true;
textarea.after(editor.dom);
document.getElementById("query-label").addEventListener("click", () => editor.focus());
const text = () => editor.state.doc.toString();
const setText = (value) =>
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });

// --- where the query runs -----------------------------------------------------------------------

const choices = document.getElementById("query-place");
const place = () => choices.querySelector("input[name=place]:checked")?.value;
const option = (value) => choices.querySelector(`input[name=place][value="${value}"]`);

// `oerkg serve` (or a host that forwards /sparql to a store) answers /sparql with its Service
// Description (SPARQL 1.1 Service Description §2); a static host does not, and that one 404 is
// the cost of finding out.
const served = location.protocol.startsWith("http")
  ? fetch(`${site.root}sparql`, { headers: { Accept: "text/turtle" } }).then((r) => r.ok, () => false)
  : Promise.resolve(false);
const ready = served.then((ok) => {
  option("server").closest("li").hidden = !ok;
  const small = Number(site.triples) <= Number(site.limit);
  const first = ok ? "server" : site.endpoint ? "endpoint" : small ? "browser" : null;
  if (first && !place()) option(first).checked = true;
});

// --- running ------------------------------------------------------------------------------------

const UPDATES = ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"];
const FORMATS = {
  json: "application/sparql-results+json",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  ntriples: "application/n-triples",
  turtle: "text/turtle",
};
let worker = null; // the in-browser engine, with the dump loaded once and kept
let loaded = null;
let cancelLoad = null;
let asked = 0;
const waiting = new Map();
let running = null; // the AbortController of the request under way

function startWorker() {
  if (loaded) return loaded;
  worker = new Worker(new URL("query-worker.js", import.meta.url), { type: "module" });
  loaded = new Promise((resolve, reject) => {
    cancelLoad = reject;
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") showProgress(data);
      else if (data.type === "loaded") resolve(data.ms);
      else if (data.id === undefined) reject(new Failure(say("q_load_failed", data.message)));
      else {
        const job = waiting.get(data.id);
        waiting.delete(data.id);
        if (data.type === "answer") job.resolve(data.body);
        else job.reject(new Failure(data.message, true));
      }
    };
    worker.onerror = (event) => reject(new Failure(say("q_load_failed", event.message)));
  });
  const here = (path) => new URL(path, location.href).href;
  worker.postMessage({
    type: "load",
    engine: new URL("vendor/oxigraph/web_bg.wasm.gz", import.meta.url).href,
    dump: here(`${site.root}${site.dump}`),
  });
  loaded.catch(endWorker);
  return loaded;
}

function endWorker() {
  worker?.terminate();
  cancelLoad?.(new Failure(ui.q_stopped));
  worker = loaded = cancelLoad = null;
  for (const job of waiting.values()) job.reject(new Failure(ui.q_stopped));
  waiting.clear();
}

class Failure extends Error {
  constructor(message, fromEngine = false) {
    super(message);
    this.fromEngine = fromEngine; // the engine's own message, which may locate a syntax error
  }
}

// Prepend the predeclared prefixes the query does not declare, on one line (so an error's line
// number is one more than the reader's): the engines need them declared.
function declared(query) {
  const own = new Set([...withoutNoise(query).matchAll(/PREFIX\s+([^\s:]*):/gi)].map((m) => m[1]));
  const missing = prefixes.filter(([name]) => !own.has(name));
  return missing.map(([name, ns]) => `PREFIX ${name}: <${ns}>`).join(" ") + "\n" + query;
}

// Strings, IRIs and comments blanked out (every character but line breaks made a space, so
// positions stay), so that a keyword or a prefix inside them is not taken for one.
const withoutNoise = (query) =>
  query.replace(
    /"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*/g,
    (noise) => noise.replace(/[^\n]/g, " "),
  );

// The first prefixed name whose prefix is neither declared nor predeclared, as an engine's
// message would locate it (Oxigraph's own message often points elsewhere).
function undeclaredPrefix(query) {
  const plain = withoutNoise(query);
  const known = new Set([...plain.matchAll(/PREFIX\s+([^\s:]*):/gi)].map((m) => m[1]));
  for (const [name] of prefixes) known.add(name);
  for (const m of plain.matchAll(/(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|\s|$)/g)) {
    if (known.has(m[1] ?? "")) continue;
    // Located after the prefixed name, as Oxigraph does, and one line down: explain() takes
    // off the predeclared prefixes' line.
    const end = m.index + /^[^\s:]*:[\w.%-]*/.exec(plain.slice(m.index))[0].length;
    const before = query.slice(0, end).split("\n");
    return `query:${before.length + 1}:${[...before.at(-1)].length + 1}: Prefix not found`;
  }
  return null;
}

// SELECT, ASK, CONSTRUCT or DESCRIBE (or an update keyword): the first word after the prologue.
function form_(query) {
  const plain = withoutNoise(query).replace(/^\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*/i, "");
  return (plain.match(/^\s*([A-Za-z]+)/)?.[1] ?? "").toUpperCase();
}

async function ask(where, query, format) {
  const full = declared(query);
  if (where === "browser") {
    await startWorker();
    const id = ++asked;
    const answer = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    worker.postMessage({ type: "query", id, text: full, format: FORMATS[format], base: site.base });
    return answer;
  }
  const url = where === "server" ? `${site.root}sparql` : site.endpoint;
  running = new AbortController();
  let response;
  try {
    // SPARQL 1.1 Protocol §2.1.2: a query by POST, URL-encoded (no length limit, no preflight).
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: FORMATS[format] },
      body: new URLSearchParams({ query: full }),
      signal: running.signal,
    });
  } catch (error) {
    throw new Failure(error.name === "AbortError" ? ui.q_stopped : say("q_unreachable", url, error.message));
  }
  const body = await response.text();
  if (!response.ok) throw new Failure(body.trim() || `HTTP ${response.status} ${response.statusText}`, true);
  return body;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  await ready;
  run(text());
});

stop.addEventListener("click", () => {
  running?.abort();
  if (place() === "browser") endWorker();
});

async function run(query) {
  const where = place();
  const kind = form_(query);
  if (!where || UPDATES.includes(kind)) {
    fail(where ? ui.q_update_refused : ui.q_choose_place);
    return finish();
  }
  const graph = kind === "CONSTRUCT" || kind === "DESCRIBE";
  editor.dispatch({ effects: markError.of(Decoration.none) });
  const undeclared = undeclaredPrefix(query);
  if (undeclared) {
    explain(undeclared, query);
    return finish();
  }
  history.replaceState(null, "", shareLink(query));
  results.replaceChildren();
  document.getElementById("query-downloads").hidden = true;
  stop.hidden = false;
  showProgress({ phase: where === "browser" && !worker ? "start" : "run" });
  const started = performance.now();
  const loading = where === "browser" && !loaded;
  try {
    const body = await ask(where, query, graph ? "ntriples" : "json");
    const table = graph ? fromNTriples(body) : fromJson(body);
    const labels = await labelsOf(where, table).catch(() => new Map());
    const took = duration(performance.now() - started);
    show(table, labels, loading ? say("q_took_loading", took, duration(await loaded)) : took, where);
    offerDownloads(where, query, graph);
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    error.fromEngine ? explain(error.message, query) : fail(error.message);
  } finally {
    finish();
  }
}

function finish() {
  stop.hidden = true;
  running = null;
  // Said once more for screen readers; the table's caption or the message shows it.
  status.textContent = results.dataset.summary ?? "";
  status.className = "sr-only";
  progress.hidden = true;
}

function showProgress({ phase, done, total }) {
  status.className = "";
  progress.hidden = phase === "run" || phase === "load";
  if (phase === "start" || phase === "run") {
    progress.removeAttribute("value");
    status.textContent = phase === "run" ? ui.running : say("q_downloading", "…");
    results.dataset.summary = "";
    return;
  }
  if (phase === "load") {
    status.textContent = say("q_loading", numbers.format(Number(site.triples)));
    return;
  }
  // Both files come at once: add up what each has received.
  showProgress[phase] = { done, total };
  const parts = [showProgress.engine, showProgress.data].filter(Boolean);
  const got = parts.reduce((n, p) => n + p.done, 0);
  const all = parts.reduce((n, p) => n + p.total, 0);
  if (all) progress.value = Math.min(got / all, 1);
  status.textContent = say("q_downloading", size(got) + (all ? ` / ${size(all)}` : ""));
}

const size = (bytes) =>
  bytes >= 1e6 ? `${numbers.format((bytes / 1e6).toFixed(1))} MB` : `${numbers.format(Math.ceil(bytes / 1e3))} kB`;
const duration = (ms) => (ms >= 1000 ? `${numbers.format((ms / 1000).toFixed(1))} s` : `${numbers.format(Math.round(ms))} ms`);

// --- results ------------------------------------------------------------------------------------

function fromJson(body) {
  const data = JSON.parse(body);
  if (typeof data.boolean === "boolean") return { boolean: data.boolean };
  return { vars: data.head.vars ?? [], rows: data.results.bindings };
}

// N-Triples (RDF 1.1 N-Triples §2): one triple a line, each term an IRI, a blank node or a literal.
const TERM = /<((?:[^>\\]|\\.)*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<((?:[^>\\]|\\.)*)>)?/g;
const ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g;
const CHAR = { t: "\t", b: "\b", n: "\n", r: "\r", f: "\f" };
const unescape = (s) =>
  s.replace(ESCAPE, (_, u, U, c) => (u || U ? String.fromCodePoint(parseInt(u || U, 16)) : (CHAR[c] ?? c)));

function fromNTriples(body) {
  const rows = [];
  for (const line of body.split("\n")) {
    const terms = [...line.matchAll(TERM)].slice(0, 3).map((m) => {
      if (m[1] !== undefined) return { type: "uri", value: unescape(m[1]) };
      if (m[2] !== undefined) return { type: "bnode", value: m[2] };
      const term = { type: "literal", value: unescape(m[3]) };
      if (m[4]) term["xml:lang"] = m[4];
      if (m[5]) term.datatype = unescape(m[5]);
      return term;
    });
    if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
  }
  return { vars: ["subject", "predicate", "object"], rows };
}

// Ask the same engine for the labels of the IRIs shown, in every language; pick the page's.
async function labelsOf(where, table) {
  const iris = new Set();
  for (const row of (table.rows ?? []).slice(0, SHOWN)) {
    for (const term of Object.values(row)) if (term.type === "uri") iris.add(term.value);
  }
  const found = new Map();
  if (!iris.size) return found;
  const values = [...iris].map((iri) => `<${iri.replace(/[<>"{}|^`\\\s]/g, encodeURIComponent)}>`);
  const query =
    `SELECT ?s ?p ?label WHERE { VALUES ?s { ${values.join(" ")} } ` +
    `VALUES ?p { ${LABELS.map((p) => `<${p}>`).join(" ")} } ?s ?p ?label }`;
  const { rows } = fromJson(await ask(where, query, "json"));
  // The page's language first, then English, untagged and any other (as the site's pages do).
  const rank = ({ p, label }) => {
    const lang = (label["xml:lang"] ?? "").toLowerCase();
    const order = lang === site.lang ? 0 : lang === "en" ? 1 : lang === "" ? 2 : 3;
    return order * 10 + LABELS.indexOf(p.value);
  };
  for (const row of rows.sort((a, b) => rank(a) - rank(b))) {
    if (!found.has(row.s.value)) found.set(row.s.value, row.label);
  }
  return found;
}

function show(table, labels, took, where) {
  const caption = [];
  let summary; // for screen readers, said by the status line
  const tableElement = document.createElement("table");
  if ("boolean" in table) {
    summary = say("q_answer_is", table.boolean ? ui.q_yes : ui.q_no);
    tableElement.createCaption().textContent = ui.results;
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = ui.q_answer;
    tableElement.createTHead().insertRow().append(th);
    tableElement.createTBody().insertRow().insertCell().textContent = table.boolean ? ui.q_yes : ui.q_no;
  } else {
    const count = table.rows.length;
    summary = `${say("rows", numbers.format(count))} — ${took}`;
    caption.push(`${ui.results} — ${say("rows", numbers.format(count))}`);
    if (count > SHOWN) caption.push(say("q_shown", numbers.format(SHOWN)));
    tableElement.createCaption().textContent = caption.join("; ");
    const head = tableElement.createTHead().insertRow();
    for (const name of table.vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.append(th);
    }
    const body = tableElement.createTBody();
    for (const row of table.rows.slice(0, SHOWN)) {
      const tr = body.insertRow();
      for (const name of table.vars) tr.append(cell(row[name], labels));
    }
    if (!count) {
      const td = body.insertRow().insertCell();
      td.colSpan = Math.max(table.vars.length, 1);
      td.textContent = ui.no_rows;
    }
  }
  const wrapper = document.createElement("div");
  wrapper.className = "scroll";
  wrapper.tabIndex = 0;
  wrapper.setAttribute("role", "region");
  wrapper.setAttribute("aria-label", ui.results);
  wrapper.append(tableElement);
  // Where and how long, above the table: a wide table scrolls, and its caption with it.
  const ran = document.createElement("p");
  ran.className = "note";
  ran.textContent = option(where).closest("label").dataset.ran.replace("{0}", took);
  results.replaceChildren(ran, wrapper);
  results.dataset.summary = summary;
  results.dataset.rows = "boolean" in table ? "1" : String(table.rows.length);
}

function cell(term, labels) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    const label = labels.get(term.value);
    const page = pageOf(term.value);
    a.href = page ?? term.value;
    if (!page) a.className = "ext";
    a.append(label ? text_(label.value, label["xml:lang"]) : shortForm(term.value));
    a.title = term.value;
    td.append(a);
  } else if (term.type === "literal" || term.type === "typed-literal") {
    td.append(text_(term.value, term["xml:lang"]));
    const note = term["xml:lang"] ? languageNames.of(term["xml:lang"]) : datatype(term.datatype);
    if (note) {
      const small = document.createElement("small");
      small.className = "note";
      small.textContent = note;
      td.append(" ", small);
    }
  } else {
    td.textContent = term.type === "bnode" ? `_:${term.value}` : JSON.stringify(term.value);
  }
  return td;
}

function text_(value, lang) {
  if (!lang || lang.toLowerCase() === site.lang) return document.createTextNode(value);
  const span = document.createElement("span");
  span.lang = lang;
  span.textContent = value;
  return span;
}

function datatype(iri) {
  if (!iri || iri === `${XSD}string`) return "";
  const name = iri.startsWith(XSD) ? iri.slice(XSD.length) : "";
  return ui[`q_dt_${name}`] ?? shortForm(iri);
}

// The page of an IRI under our base: an entity's page (model.output_stem), or an ontology term's
// entry. Every IRI in the entity space has a page: validation refuses links to undescribed ones.
function pageOf(iri) {
  const html = `${site.suffix}.html`;
  if (iri.startsWith(site.ontology)) return `${site.root}ontology${html}#${iri.slice(site.ontology.length)}`;
  if (!iri.startsWith(site.entities)) return null;
  return `${site.root}${iri.slice(site.base.length).split("/").map(safeSegment).join("/")}${html}`;
}

function safeSegment(segment) {
  if (!segment) return "~";
  if (/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(segment)) return segment;
  const bytes = (c) => [...new TextEncoder().encode(c)].map((b) => `~${b.toString(16).toUpperCase().padStart(2, "0")}`);
  return [...segment].map((c, i) => (/^[A-Za-z0-9._-]$/.test(c) && (i || c !== ".") ? c : bytes(c).join(""))).join("");
}

// A prefixed name when a predeclared prefix fits, else the address without its scheme.
function shortForm(iri) {
  let best = null;
  for (const [name, ns] of prefixes) if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [name, ns];
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri.replace(/^https?:\/\//, "");
}

// --- downloads, errors, sharing -----------------------------------------------------------------

function offerDownloads(where, query, graph) {
  const box = document.getElementById("query-downloads");
  for (const button of box.querySelectorAll("button")) {
    button.hidden = graph !== ["ntriples", "turtle"].includes(button.value);
    button.onclick = async () => {
      try {
        const body = await ask(where, query, button.value);
        const a = document.createElement("a");
        a.href = URL.createObjectURL(new Blob([body], { type: FORMATS[button.value] }));
        a.download = `results.${{ ntriples: "nt", turtle: "ttl" }[button.value] ?? button.value}`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      } catch (error) {
        fail(error.message);
      }
    };
  }
  box.hidden = false;
}

function fail(message) {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = message;
  results.replaceChildren(p);
  results.dataset.summary = message;
}

// An engine's message, located at line:col when it says where: Oxigraph ("error at 3:7: …"),
// oerkg's /sparql ("query:3:7: …"), Jena and others ("… at line 3, column 7").
function explain(message, query) {
  const m = /(?:error at |query:)(\d+):(\d+):\s*/.exec(message) ?? /line (\d+), column (\d+)/i.exec(message);
  if (!m) return fail(`${ui.query_failed} ${message}`);
  const lines = query.split("\n");
  const line = Math.min(Math.max(Number(m[1]) - 1, 1), lines.length); // the prefixes' line
  let col = Number(m[2]);
  let detail = (m[0].startsWith("line") ? message : message.slice(m.index + m[0].length)).split("\n")[0];
  const chars = [...lines[line - 1]];
  if (/Prefix not found|undefined prefix/.test(detail)) {
    const name = /([A-Za-z][\w.-]*)?:[\w.-]*$/.exec(chars.slice(0, col - 1).join(""));
    if (name) {
      col = [...chars.join("").slice(0, name.index)].length + 1;
      detail = say("q_undefined_prefix", `${name[1] ?? ""}:`);
    }
  }
  detail = detail.split(", [")[0];
  if (detail.length > 160) detail = `${detail.slice(0, detail.lastIndexOf(",", 140))}, …`;
  const [from, to] = spot(line, chars, col);
  const mark = Decoration.mark({ class: "cm-error-mark", attributes: { title: detail } });
  editor.dispatch({ effects: markError.of(from < to ? Decoration.set([mark.range(from, to)]) : Decoration.none) });
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = `${say("q_syntax_error", numbers.format(line), numbers.format(col))} ${detail} `;
  const go = document.createElement("button");
  go.type = "button";
  go.textContent = ui.q_go_to_error;
  go.addEventListener("click", () => {
    editor.dispatch({ selection: EditorSelection.cursor(from), scrollIntoView: true });
    editor.focus();
  });
  p.append(go);
  p.dataset.line = line;
  p.dataset.col = col;
  results.replaceChildren(p);
  results.dataset.summary = p.firstChild.textContent;
}

// The place to mark: the word at the column, or the character before it at the end of a line
// (where a parser stops when what it expected is missing). Oxigraph counts columns in
// characters, the editor in UTF-16 code units.
function spot(line, chars, col) {
  const start = editor.state.doc.line(line).from;
  const word = /^[\w:?$.-]+|^\S/.exec(chars.slice(col - 1).join(""));
  if (word) {
    const from = start + chars.slice(0, col - 1).join("").length;
    return [from, from + word[0].length];
  }
  const before = chars.slice(0, col - 1).join("").trimEnd();
  return before ? [start + before.length - before.slice(-1).length, start + before.length] : [0, 0];
}

function shareLink(query) {
  const url = new URL(location.href);
  url.hash = "";
  url.search = `?query=${encodeURIComponent(query)}`;
  return url.href;
}

function offerLink() {
  share.href = shareLink(text());
  // The language switch keeps the query.
  for (const a of document.querySelectorAll("a[hreflang]")) {
    const url = new URL(a.href);
    url.search = new URL(share.href).search;
    a.href = url.href;
  }
}

// --- examples and the first run -----------------------------------------------------------------

const picker = document.getElementById("example-select");
const about = document.getElementById("example-description");
function pick() {
  const chosen = picker.selectedOptions[0];
  about.textContent = chosen?.dataset.description ?? "";
  if (chosen?.lang) about.lang = chosen.lang;
  else about.removeAttribute("lang");
}
if (picker) {
  picker.addEventListener("change", () => {
    pick();
    setText(document.getElementById(`sparql-${picker.value}`).textContent);
  });
  pick();
}
for (const hidden of document.querySelectorAll(".js-only")) hidden.hidden = false;
for (const note of document.querySelectorAll(".no-js")) note.hidden = true;

const shared = new URLSearchParams(location.search).get("query");
if (shared !== null) {
  setText(shared);
  if (picker) {
    // The example a shared query is, if it is one; none chosen otherwise.
    const same = [...picker.options].find((o) => document.getElementById(`sparql-${o.value}`).textContent === shared);
    picker.value = same?.value ?? "";
    pick();
  }
  ready.then(() => run(shared));
}
offerLink();
