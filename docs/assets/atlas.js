/* Skills Policy Atlas: sortable comparison tables, glossary tooltips and related-measure lists.

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

  /* Glossary links in summaries: the definition shown as a styled tooltip on hover or keyboard focus,
     and kept in the link's accessible name. The definitions are not in the pages (a twelfth of a policy
     page, the same on thousands of pages): they are one script, assets/glossary-tips.js
     (window.ATLAS_TERMS, term id → definition; generator/site/pages/glossary.py, tips_script), loaded
     with a script element — which works from file:// in the offline bundle, where fetch does not — once
     a page has a glossary link. Touch screens just follow the link to the glossary. */
  var TIPS_SRC = (function () {
    var self = document.currentScript && document.currentScript.src;
    return self ? new URL("glossary-tips.js", self).href : null;
  })();
  var tipsLoading = null;

  function loadTips() {
    if (window.ATLAS_TERMS) return Promise.resolve(window.ATLAS_TERMS);
    if (!tipsLoading && TIPS_SRC) {
      tipsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = TIPS_SRC;
        script.onload = function () { resolve(window.ATLAS_TERMS || {}); };
        script.onerror = function () { tipsLoading = null; script.remove(); reject(new Error("glossary-tips.js")); };
        document.head.appendChild(script);
      });
    }
    return tipsLoading || Promise.reject(new Error("no script URL"));
  }

  function glossaryTips() {
    var links = document.querySelectorAll("a.atlas-term:not([data-atlas-tip])");
    if (!links.length) return;
    loadTips().then(function (terms) {
      links.forEach(function (link) {
        var id = decodeURIComponent((link.hash || "").slice(1));
        var tip = Object.prototype.hasOwnProperty.call(terms, id) ? terms[id] : null;
        if (!tip) return;
        link.setAttribute("data-atlas-tip", tip);
        link.setAttribute("aria-label", link.textContent + "：" + tip);
      });
    }, function () { /* no tooltips; the links still lead to the glossary */ });
  }

  /* A policy page's related-measure lists (details.atlas-related[data-related]) carry their summary;
     the entries and the line to the topic's comparison, the same on every policy page that shows the list,
     are one small gzipped JSON file each (generator/site/views.py, related_file), fetched when a reader
     opens the list and built here with textContent, as the page's own macros (related_group,
     related_more) would write them. The offline bundle, which cannot fetch from file://, has them in the page. */
  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function linkList(parent, links) {
    links.forEach(function (pair, i) {
      if (i) parent.appendChild(document.createTextNode("、"));
      var a = node("a", null, pair[1]);
      a.setAttribute("href", pair[0]);
      parent.appendChild(a);
    });
  }

  function relatedEntries(data) {
    var list = node("ul");
    data.groups.forEach(function (g) {  // [region, policy, year, [[href, text], …]]
      var li = node("li");
      li.appendChild(node("span", "atlas-region-tag", g[0]));
      linkList(li, g[3]);
      li.appendChild(node("span", "atlas-src", g[1] + "（" + g[2] + "）"));
      list.appendChild(li);
    });
    var more = node("li", "atlas-related-more", (data.more ? "更多地区的同类条款" : "各地的同类条款") + "见议题对照：");
    linkList(more, data.topics);
    list.appendChild(more);
    return list;
  }

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
            return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).json();
          })
          .then(function (data) {
            details.appendChild(relatedEntries(data));
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
