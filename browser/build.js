// Make the query page's browser assets from the packages package-lock.json pins (`make assets`):
//   codemirror.js           CodeMirror 6 and its SPARQL mode, one minified ES module (esbuild)
//   codemirror.LICENSE.txt  the licence of every package inside it
//   oxigraph/web.js         Oxigraph's WebAssembly bindings, as the npm package ships them
//   oxigraph/web_bg.wasm.gz its WebAssembly module, gzipped (1.4 MB instead of 4 MB on hosts
//                           that do not compress; the page inflates it with DecompressionStream)
//   oxigraph/LICENSE        the package is "MIT OR Apache-2.0": shipped under MIT
//   MANIFEST.json           each package's version and licence, each file's SHA-256
// Usage: node build.js [OUTPUT_FOLDER]   (default: ../site_templates/static/vendor)
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "..", "site_templates", "static", "vendor"));
const modules = join(here, "node_modules");

const pkg = (name) => JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));

function licenceText(name) {
  const folder = join(modules, name);
  const file = readdirSync(folder).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${name} ships no licence file`);
  return readFileSync(join(folder, file), "utf8").trim();
}

// The package a bundled file belongs to: "@scope/name" or "name" after the last node_modules/.
function packageOf(path) {
  const parts = path.split("node_modules/").pop().split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "oxigraph"), { recursive: true });

const bundle = await build({
  entryPoints: [join(here, "editor.js")],
  bundle: true,
  format: "esm",
  minify: true,
  legalComments: "none", // the licences go, whole, into codemirror.LICENSE.txt
  target: "es2020",
  outfile: join(out, "codemirror.js"),
  metafile: true,
  logLevel: "warning",
});
const bundled = [
  ...new Set(
    Object.keys(bundle.metafile.inputs)
      .filter((p) => p.includes("node_modules/"))
      .map(packageOf),
  ),
].sort();

const notices = bundled.map((name) => {
  const { version, license } = pkg(name);
  return `${name} ${version} (${license})\n\n${licenceText(name)}\n`;
});
writeFileSync(
  join(out, "codemirror.LICENSE.txt"),
  `The packages bundled into codemirror.js, and their licences.\n\n${notices.join("\n---\n\n")}`,
);

const oxigraph = join(modules, "oxigraph");
writeFileSync(join(out, "oxigraph", "web.js"), readFileSync(join(oxigraph, "web.js")));
const wasm = readFileSync(join(oxigraph, "web_bg.wasm"));
writeFileSync(join(out, "oxigraph", "web_bg.wasm.gz"), gzipSync(wasm, { level: 9 }));
writeFileSync(join(out, "oxigraph", "LICENSE"), readFileSync(join(here, "licenses", "oxigraph-LICENSE-MIT")));

const packages = Object.fromEntries(
  [...bundled, "oxigraph"].sort().map((name) => [name, `${pkg(name).version} (${pkg(name).license})`]),
);
const files = {};
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    else files[relative(out, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
  }
};
walk(out);
// The gzip bytes depend on Node's zlib; what is checked against a rebuild is what they inflate to.
files["oxigraph/web_bg.wasm"] = createHash("sha256").update(wasm).digest("hex");
delete files["oxigraph/web_bg.wasm.gz"];
const manifest = { packages, sha256: Object.fromEntries(Object.entries(files).sort()) };
writeFileSync(join(out, "MANIFEST.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), out) || "."}: ${Object.keys(files).length + 1} files`);
