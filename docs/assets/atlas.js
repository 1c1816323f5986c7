/* Skills Policy Atlas: sortable comparison tables and glossary tooltips.

   Tablesort (vendored) sorts `table.atlas-sortable`. It guesses a column's type from its first
   few cells, which goes wrong here: amounts read "10万元" (a string sort puts it before "8000元")
   and empty cells read "—". So before Tablesort starts, each column whose cells all carry a
   numeric data-sort (or are empty) is declared a number column; in side-by-side tables a region
   column sorts by how many measures each topic has there. Clicking a header's own link still
   follows the link; clicking the rest of the header cell sorts.

   Material's instant navigation would swap pages without reloading, so we hook its document$
   observable when it exists. */
(function () {
  "use strict";

  function isEmptyCell(cell) {
    return !cell.textContent.trim() || !!cell.querySelector(".atlas-empty") && !cell.querySelector("a");
  }

  /* Side-by-side cells list measures: the number of them is what a region column sorts by. */
  function countMeasures(table) {
    if (!table.classList.contains("atlas-sbs")) return;
    [].forEach.call(table.tBodies[0].rows, function (row) {
      [].forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-sort") && (cell.querySelector("ul") || isEmptyCell(cell)))
          cell.setAttribute("data-sort", String(cell.querySelectorAll("li").length));
      });
    });
  }

  function markNumberColumns(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || !table.tBodies[0]) return;
    var rows = [].slice.call(table.tBodies[0].rows);
    [].forEach.call(head.cells, function (th, col) {
      if (th.hasAttribute("data-sort-method")) return;
      var cells = rows.map(function (row) { return row.cells[col]; }).filter(Boolean);
      var numeric = cells.length > 0 && cells.every(function (cell) {
        var value = cell.getAttribute("data-sort");
        return value !== null && value !== "" ? isFinite(Number(value)) : isEmptyCell(cell);
      });
      if (numeric) th.setAttribute("data-sort-method", "number");
    });
  }

  /* A click on a header's link navigates; it must not also reorder the table first. */
  function keepLinksAsLinks(table) {
    [].forEach.call(table.querySelectorAll("thead th a"), function (link) {
      link.addEventListener("click", function (event) { event.stopPropagation(); });
    });
  }

  function explainHeaders(table) {
    [].forEach.call(table.querySelectorAll("thead th"), function (th) {
      if (th.getAttribute("data-sort-method") !== "none" && !th.title) th.title = "点击按此列排序";
    });
  }

  /* Glossary links in summaries: the definition (the link's title) shown as a styled tooltip on
     hover or keyboard focus instead of the browser's slow plain one; the definition stays in the
     link's accessible description. Touch screens just follow the link to the glossary. A page
     carries each definition once, on the term's first link (generator/site/views.py, glossed):
     the other links to the same entry get it from there. */
  function glossaryTips() {
    var tips = {};
    document.querySelectorAll("a.atlas-term[title]").forEach(function (link) {
      tips[link.getAttribute("href")] = link.title;
    });
    document.querySelectorAll("a.atlas-term").forEach(function (link) {
      var tip = link.title || tips[link.getAttribute("href")];
      if (!tip) return;
      link.setAttribute("data-atlas-tip", tip);
      link.setAttribute("aria-label", link.textContent + "：" + tip);
      link.removeAttribute("title");
    });
  }

  /* A policy page's related-measure lists (details.atlas-related[data-related]) carry their summary;
     the entries and the link to the topic's comparison, the same on every policy page that shows the list,
     are one small JSON file each (generator/site/views.py, related_file), fetched when a reader opens
     the list. The offline bundle, which cannot fetch from file://, has them in the page. */
  function relatedLists() {
    document.querySelectorAll("details.atlas-related[data-related]").forEach(function (details) {
      if (details.dataset.atlasRelated) return;
      details.dataset.atlasRelated = "waiting";
      details.addEventListener("toggle", function () {
        if (!details.open || details.dataset.atlasRelated !== "waiting") return;
        details.dataset.atlasRelated = "loading";
        fetch(details.dataset.related)
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (entries) {
            // the entries, then the line to the topic's comparison (the file's last entry)
            details.querySelector("ul").insertAdjacentHTML("beforeend", entries.join(""));
            details.dataset.atlasRelated = "loaded";
          })
          .catch(function () {
            details.dataset.atlasRelated = "waiting"; // the next opening tries again
          });
      });
    });
  }

  function init() {
    glossaryTips();
    relatedLists();
    if (typeof Tablesort === "undefined") return;
    document.querySelectorAll("table.atlas-sortable").forEach(function (table) {
      if (table.dataset.atlasSorted) return;
      table.dataset.atlasSorted = "1";
      countMeasures(table);
      markNumberColumns(table);
      keepLinksAsLinks(table);
      explainHeaders(table);
      new Tablesort(table);
    });
  }

  // Collapsed quotes and Traditional originals (details.atlas-print-open) are shown in full on paper:
  // a closed <details> prints only its summary, so they are opened for printing and closed again after.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(document.querySelectorAll("details.atlas-print-open:not([open])"),
      function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
