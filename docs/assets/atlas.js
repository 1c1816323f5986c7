/* Skills Policy Atlas: sortable comparison tables.
   Material's instant navigation swaps pages without reloading, so we hook its document$ observable. */
(function () {
  function init() {
    if (typeof Tablesort === "undefined") return;
    document.querySelectorAll("table.atlas-sortable").forEach(function (table) {
      if (table.dataset.atlasSorted) return;
      table.dataset.atlasSorted = "1";
      new Tablesort(table);
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
