// The search page: finds entities in the index the build wrote under search/<lang>/ (see
// oerkg/search.py for its layout). No stemming here: the index holds Snowball stems, and a
// word typed matches the stems that start it (its own stem, since Snowball only strips or
// rewrites endings) and, at a lower weight, the stems it starts (completion while typing).
"use strict";
(() => {
  // A posting's field (oerkg/search.py): the name's first word, its other words, another name
  // (or the name in another language), the description.
  const WEIGHTS = [4, 3, 2, 1];
  const COMPLETION = 0.5; // a stem the word only starts
  const MIN_STEM = 3; // shorter stems start too many words to stand for one
  const SHOWN = 50;
  const main = document.querySelector("[data-search-index]");
  if (!main) return;
  const base = main.dataset.searchIndex;
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const cache = new Map();

  const fetchJson = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(`${base}${path}: HTTP ${r.status}`);
        return r.json();
      }));
    }
    return cache.get(path);
  };

  const fold = (text) => text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  const words = (text) => fold(text).match(/[\p{L}\p{N}]+/gu) || [];

  // The best weight of each entity for one word: {entity number: weight}. A stem that starts
  // the word may be its stem in any language of the index's texts (the index is not of one
  // language: names in others, descriptions shown in English where a translation is
  // missing), so every such stem counts, a longer one for more.
  async function scores(word, index) {
    const file = index.shards[word.slice(0, index.key)];
    const found = new Map();
    if (file === undefined) return found;
    const shard = await fetchJson(`t/${file}.json`);
    const shortest = Math.min(MIN_STEM, word.length);
    for (const [stem, postings] of Object.entries(shard)) {
      let factor = 0;
      if (word.startsWith(stem) && stem.length >= shortest) factor = stem.length / word.length;
      else if (stem.startsWith(word)) factor = COMPLETION;
      if (!factor) continue;
      for (const posting of postings) {
        const entity = Math.floor(posting / 4);
        const weight = WEIGHTS[posting % 4] * factor;
        if (weight > (found.get(entity) || 0)) found.set(entity, weight);
      }
    }
    return found;
  }

  let latest = 0;
  async function search(query) {
    const asked = ++latest;
    const terms = [...new Set(words(query))];
    if (!terms.length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const index = await fetchJson("index.json");
    const perWord = await Promise.all(terms.map((w) => scores(w, index)));
    // Every word must match; an entity's score is the sum of its words' weights.
    const total = new Map();
    for (const entity of perWord[0].keys()) {
      if (perWord.every((found) => found.has(entity))) {
        total.set(entity, perWord.reduce((sum, found) => sum + found.get(entity), 0));
      }
    }
    const ranked = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, SHOWN);
    const blocks = await Promise.all(
      [...new Set(ranked.map(([e]) => Math.floor(e / index.block)))].map(
        async (n) => [n, await fetchJson(`d/${n}.json`)],
      ),
    );
    if (asked !== latest) return; // a later query has been typed meanwhile
    const documents = new Map(blocks);
    const items = ranked.map(([entity]) => {
      const [label, path, type, snippet, labelLang, snippetLang] = documents.get(Math.floor(entity / index.block))[
        entity % index.block
      ];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = main.dataset.root + path;
      link.textContent = label;
      if (labelLang) link.lang = labelLang;
      item.append(link);
      if (type) {
        const kind = document.createElement("span");
        kind.className = "count";
        kind.textContent = ` (${type})`;
        item.append(kind);
      }
      if (snippet) {
        const text = document.createElement("span");
        text.className = "snippet";
        text.textContent = snippet;
        if (snippetLang) text.lang = snippetLang;
        item.append(document.createElement("br"), text);
      }
      return item;
    });
    list.replaceChildren(...items);
    const count = total.size;
    status.textContent = count === 0
      ? main.dataset.none
      : (count > SHOWN ? main.dataset.many : main.dataset.some)
          .replace("{0}", String(count)).replace("{1}", String(SHOWN));
  }

  const run = () => search(input.value).catch((error) => {
    status.textContent = `${main.dataset.failed} ${error.message}`;
  });
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run();
  });
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.hidden = false;
  if (input.value) run();
  else input.focus();
})();
