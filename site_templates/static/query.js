// The query editor: run SPARQL against the site's endpoint and show the results as a table.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query-text");
  const select = document.getElementById("example-select");
  const results = document.getElementById("results");
  const download = document.getElementById("download-results");
  if (!form || !editor || !results) return;

  if (select) {
    select.closest(".js-only").hidden = false;
    select.addEventListener("change", () => {
      const source = document.getElementById("sparql-" + select.value);
      if (source) editor.value = source.textContent;
    });
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.append(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function show(data) {
    const vars = (data.head && data.head.vars) || [];
    const table = document.createElement("table");
    const caption = table.createCaption();
    if (typeof data.boolean === "boolean") {
      caption.textContent = form.dataset.results + ": " + data.boolean;
      results.replaceChildren(table);
      return;
    }
    const rows = data.results.bindings;
    caption.textContent = form.dataset.results + " — " + form.dataset.rows.replace("{0}", rows.length);
    const head = table.createTHead().insertRow();
    for (const name of vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.append(th);
    }
    const body = table.createTBody();
    for (const binding of rows) {
      const tr = body.insertRow();
      for (const name of vars) tr.append(cell(binding[name]));
    }
    if (!rows.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = Math.max(vars.length, 1);
      td.textContent = form.dataset.empty;
    }
    const wrapper = document.createElement("div");
    wrapper.className = "scroll";
    wrapper.append(table);
    results.replaceChildren(wrapper);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    results.textContent = form.dataset.running;
    download.hidden = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json",
        },
        body: new URLSearchParams({ query: editor.value }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(text || response.statusText);
      show(JSON.parse(text));
      const blob = new Blob([text], { type: "application/sparql-results+json" });
      if (download.href.startsWith("blob:")) URL.revokeObjectURL(download.href);
      download.href = URL.createObjectURL(blob);
      download.hidden = false;
    } catch (error) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = form.dataset.failed + " " + error.message;
      results.replaceChildren(p);
    }
  });
});
