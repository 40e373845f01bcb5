// Runs SPARQL over the site's dump with Oxigraph's WebAssembly build (the engine of pyoxigraph,
// so the same rows as `oerkg query`), off the page's thread: a long query never freezes the page,
// and Stop ends it by ending this worker.
import init, { Store } from "./vendor/oxigraph/web.js";

let store = null;

// Fetch a file, reporting progress; inflate it when it is gzip (RFC 1952 magic bytes 1f 8b),
// which a host that sends .gz files with Content-Encoding: gzip has already done.
async function download(url, phase) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get("Content-Length")) || 0;
  const chunks = [];
  let done = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
    done += value.length;
    postMessage({ type: "progress", phase, done, total });
  }
  const blob = new Blob(chunks);
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) return new Uint8Array(await blob.arrayBuffer());
  const inflated = blob.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

async function load({ engine, dump }) {
  const started = performance.now();
  const [wasm, data] = await Promise.all([download(engine, "engine"), download(dump, "data")]);
  postMessage({ type: "progress", phase: "load" });
  await init({ module_or_path: wasm });
  const loaded = new Store();
  loaded.load(data, { format: "application/n-quads" });
  store = loaded;
  return { type: "loaded", ms: performance.now() - started };
}

function query({ id, text, format, base }) {
  const started = performance.now();
  // The default graph is the union of the named graphs, as for `oerkg query` and /sparql.
  const body = store.query(text, {
    base_iri: base,
    use_default_graph_as_union: true,
    results_format: format,
  });
  return { type: "answer", id, body, ms: performance.now() - started };
}

onmessage = async ({ data }) => {
  try {
    postMessage(data.type === "load" ? await load(data) : query(data));
  } catch (error) {
    postMessage({ type: "failed", id: data.id, message: String(error?.message ?? error) });
  }
};
