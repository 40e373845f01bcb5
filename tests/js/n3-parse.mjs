// Parse RDF files with N3.js, strictly: one named format per file, no N3 extensions.
// stdin: [{"path": "...", "format": "Turtle" | "TriG" | "N-Triples" | "N-Quads"}, ...]
// stdout: [{"path", "quads", "triples", "error"}]; `triples` ignores the graph name.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Parser } from "n3";

const FORMATS = new Set(["Turtle", "TriG", "N-Triples", "N-Quads"]);
const jobs = JSON.parse(readFileSync(0, "utf8"));
const results = jobs.map(({ path, format }) => {
  if (!FORMATS.has(format)) return { path, error: `unknown format ${format}` };
  try {
    const parser = new Parser({ format, baseIRI: pathToFileURL(path).href });
    const quads = parser.parse(readFileSync(path, "utf8"));
    const key = (t) => (t.termType === "Literal" ? JSON.stringify([t.value, t.language, t.datatype.value]) : `${t.termType}:${t.value}`);
    const triples = new Set(quads.map((q) => [q.subject, q.predicate, q.object].map(key).join(" ")));
    return { path, quads: new Set(quads.map((q) => [q.subject, q.predicate, q.object, q.graph].map(key).join(" "))).size, triples: triples.size, error: null };
  } catch (err) {
    return { path, error: String(err.message || err) };
  }
});
process.stdout.write(JSON.stringify(results));
