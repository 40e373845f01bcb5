// Expand JSON-LD documents with jsonld.js in safe mode (a dropped term is an error) and turn
// each into N-Quads. The document loader serves only the local copy of the schema.org context;
// any other URL is refused, so nothing is fetched from the network.
// stdin: {"context": "<path of the schema.org context>", "documents": [{"name", "text"}]}
// stdout: [{"name", "nquads", "error", "loaded"}]
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const SCHEMA_CONTEXT_URLS = new Set([
  "http://schema.org", "http://schema.org/", "https://schema.org", "https://schema.org/",
  "https://schema.org/docs/jsonldcontext.jsonld", "http://schema.org/docs/jsonldcontext.jsonld",
]);
const job = JSON.parse(readFileSync(0, "utf8"));
const schemaContext = JSON.parse(readFileSync(job.context, "utf8"));

const results = [];
for (const { name, text } of job.documents) {
  const loaded = [];
  const documentLoader = async (url) => {
    loaded.push(url);
    if (SCHEMA_CONTEXT_URLS.has(url)) {
      return { contextUrl: null, documentUrl: url, document: schemaContext };
    }
    throw new Error(`network access refused: ${url}`);
  };
  try {
    const doc = JSON.parse(text);
    const expanded = await jsonld.expand(doc, { safe: true, documentLoader });
    const nquads = await jsonld.toRDF(expanded, { format: "application/n-quads", safe: true, documentLoader });
    results.push({ name, nquads, error: null, loaded });
  } catch (err) {
    const plain = (key, value) => (value instanceof Error ? `${value.name}: ${value.message}` : value);
    const details = err.details ? ` ${JSON.stringify(err.details, plain).slice(0, 500)}` : "";
    results.push({ name, nquads: null, error: `${err.name}: ${err.message}${details}`, loaded });
  }
}
process.stdout.write(JSON.stringify(results));
