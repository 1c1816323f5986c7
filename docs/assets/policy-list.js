/* Skills Policy Atlas: the policy list (/policies/), sortable and filterable.

   The page is a static table, newest first, that reads without JavaScript. This script, loaded by
   that page only (generator/site/pages/policies.py), makes each column header a button that sorts
   by the column (a second click reverses it), and shows the filters by region, theme and year that
   the page lists (hidden without JavaScript, where they could not work). A region keeps the policies
   of the regions below it too (a province its cities'). The filters are kept in the query string
   (?region=…&theme=…&year=…), so a filtered list can be linked.

   Each row carries what the filters match (data-regions: the region and those above it; data-themes;
   data-year); a cell's data-sort, when present, is what its column sorts by. */
(function () {
  "use strict";

  var collator = typeof Intl !== "undefined" && Intl.Collator ? new Intl.Collator("zh-Hans-CN", { numeric: true }) : null;
  var FILTERS = ["region", "theme", "year"];

  function cellKey(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  /* Columns (a header's data-sort-type): text in the collation of Chinese (pinyin order), dates as
     ISO strings, numbers as numbers. */
  function compare(a, b, type) {
    if (type === "number") return Number(a) - Number(b);
    if (a === b) return 0;
    if (type === "text" && collator) return collator.compare(a, b);
    return a < b ? -1 : 1;
  }

  function sortBy(table, col, direction) {
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    var type = heads[col].getAttribute("data-sort-type") || "text";
    var rows = [].slice.call(body.rows).map(function (row, i) { return { row: row, key: cellKey(row, col), i: i }; });
    rows.sort(function (x, y) {
      // an empty key (an unknown date) goes last, whichever the direction
      if (type !== "number" && (x.key === "" || y.key === "") && x.key !== y.key) return x.key === "" ? 1 : -1;
      var c = compare(x.key, y.key, type);
      return (direction === "descending" ? -c : c) || x.i - y.i; // stable: ties keep the current order
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    [].forEach.call(heads, function (th, i) {
      if (i === col) th.setAttribute("aria-sort", direction);
      else th.removeAttribute("aria-sort");
    });
  }

  function makeSortable(table) {
    [].forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-plist-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.title = "点击按此列排序，再点一次反向";
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        // a first click: text in pinyin order, dates and numbers largest first
        var first = (th.getAttribute("data-sort-type") || "text") === "text" ? "ascending" : "descending";
        sortBy(table, col, now ? (now === "ascending" ? "descending" : "ascending") : first);
      });
    });
  }

  function matches(row, state) {
    if (state.region && (" " + row.getAttribute("data-regions") + " ").indexOf(" " + state.region + " ") < 0) return false;
    if (state.theme && (" " + row.getAttribute("data-themes") + " ").indexOf(" " + state.theme + " ") < 0) return false;
    if (state.year && row.getAttribute("data-year") !== state.year) return false;
    return true;
  }

  function setUp(form, table) {
    var count = form.querySelector(".atlas-plist-count");
    var rows = [].slice.call(table.tBodies[0].rows);

    function state() {
      var s = {};
      FILTERS.forEach(function (name) { s[name] = form.elements[name] ? form.elements[name].value : ""; });
      return s;
    }

    function apply(remember) {
      var s = state();
      var shown = 0;
      rows.forEach(function (row) {
        row.hidden = !matches(row, s);
        if (!row.hidden) shown += 1;
      });
      count.textContent = shown === rows.length ? "共 " + rows.length + " 份" : "显示 " + shown + " 份，共 " + rows.length + " 份";
      table.classList.toggle("atlas-plist-none", shown === 0);
      if (remember && window.history && history.replaceState) {
        var params = new URLSearchParams(location.search);
        FILTERS.forEach(function (name) { if (s[name]) params.set(name, s[name]); else params.delete(name); });
        var query = params.toString();
        history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      var wanted = params.get(name);
      if (select && wanted && [].some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
    });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply(false);
  }

  function init() {
    var table = document.querySelector("table[data-atlas-plist]");
    if (!table || table.dataset.atlasReady) return;
    table.dataset.atlasReady = "1";
    makeSortable(table);
    var form = document.querySelector("form[data-atlas-plist-filters]");
    if (form) setUp(form, table);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
