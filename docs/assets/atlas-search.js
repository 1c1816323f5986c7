/* Skills Policy Atlas: the search box in the header, over Pagefind's index (site/pagefind/).

   Pagefind's index is split into chunks that its script fetches for each query, so what a reader
   downloads grows with the query, not with the atlas (generator/export/sitesearch.py builds the index).
   This script is the whole UI: the box in Material's header (opened with / or s), results with
   facets (地区, 省份, 主题, 文种, 年份), ?q= in the URL, and, on the page a result opens, its words
   highlighted (Pagefind's highlight script, loaded only then). Searching starts on every `input`
   event, so typed, pasted or dropped text all search.

   Every result text is contributor data: it is set as text; of Pagefind's excerpts only the
   <mark> elements are kept. `make serve` has no index: the box says how to get one. */
(function () {
  "use strict";

  var FILTERS = ["省份", "地区", "主题", "文种", "年份"];
  var PAGE = 10;
  var MAX_COUNTED = 200; // a multi-word query's facets are counted from at most this many results
  var root = document.getElementById("atlas-search");
  if (!root) return; // the offline bundle: Material's own search

  var base = (root.getAttribute("data-base") || ".").replace(/\/$/, "");
  var input = root.querySelector(".atlas-search__input");
  var panel = root.querySelector(".atlas-search__panel");
  var facets = root.querySelector(".atlas-search__facets");
  var status = root.querySelector(".atlas-search__status");
  var list = root.querySelector(".atlas-search__results");
  var more = root.querySelector(".atlas-search__more");
  var pagefind = null;
  var loading = null;
  var chosen = {}; // filter name → set of chosen values
  var filtersReady = false;
  var current = { query: "", results: [], shown: 0, serial: 0 };

  function url(path) {
    return new URL(base + "/" + path, document.baseURI).href;
  }

  function load() {
    if (!loading) {
      loading = import(url("pagefind/pagefind.js")).then(function (pf) {
        pf.options({ excerptLength: 40 });
        pf.init();
        pagefind = pf;
        return pf;
      });
    }
    return loading;
  }

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }

  /* Pagefind's excerpt is HTML with <mark> around the matched words: keep only text and marks. */
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html || "";
    var out = document.createElement("p");
    out.className = "atlas-search__excerpt";
    var marks = [];
    var last = null; // the <mark> just written: a measure's characters are marked one by one
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        if (last) last.textContent += node.textContent;
        else last = out.appendChild(text("mark", node.textContent));
      } else if (node.textContent.replace(/\u200b/g, "")) {
        last = null;
        out.appendChild(document.createTextNode(node.textContent.replace(/\u200b/g, "")));
      }
    });
    out.querySelectorAll("mark").forEach(function (m) {
      if (marks.indexOf(m.textContent) < 0) marks.push(m.textContent);
    });
    return { node: out, marks: marks };
  }

  /* The link a result opens, with its matched words for the highlight on that page. */
  function target(raw, marks) {
    var link = new URL(url(raw.replace(/^\/+/, "")));
    marks.forEach(function (m) { link.searchParams.append("highlight", m); });
    return link.href;
  }

  function render(data) {
    var li = document.createElement("li");
    li.className = "atlas-search__result";
    var meta = data.meta || {};
    li.setAttribute("data-kind", meta.kind === "measure" ? "measure" : "page");
    li.setAttribute("data-url", data.raw_url || data.url);
    var sub = !meta.kind && data.sub_results && data.sub_results[0];
    var ex = excerpt(sub ? sub.excerpt : data.excerpt);
    var a = document.createElement("a");
    a.href = target(sub ? sub.url : data.url, ex.marks);
    a.appendChild(text("span", sub && sub.title !== meta.title ? meta.title + " › " + sub.title : meta.title || data.url,
                       "atlas-search__title"));
    li.appendChild(a);
    if (meta.kind === "measure") {
      var where = text("p", "", "atlas-search__where");
      where.appendChild(text("span", meta.region, "atlas-region-tag"));
      where.appendChild(document.createTextNode(meta.policy + "（" + meta.year + "）"));
      li.appendChild(where);
    }
    li.appendChild(ex.node);
    return li;
  }

  function filterArg() {
    var out = {};
    Object.keys(chosen).forEach(function (name) {
      var values = Array.from(chosen[name]);
      if (values.length) out[name] = { any: values };
    });
    return out;
  }

  /* counts: filter → value → number of results; null when not counted (no facets then). */
  function drawFacets(counts) {
    facets.textContent = "";
    FILTERS.forEach(function (name) {
      var values = (counts || {})[name] || {};
      var keys = Object.keys(values).filter(function (v) { return values[v] > 0 || (chosen[name] && chosen[name].has(v)); });
      if (!keys.length) return;
      keys.sort(function (x, y) { return values[y] - values[x] || (x < y ? -1 : 1); });
      var group = document.createElement("fieldset");
      group.className = "atlas-search__facet";
      group.appendChild(text("legend", name));
      keys.forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = !!(chosen[name] && chosen[name].has(value));
        box.addEventListener("change", function () {
          chosen[name] = chosen[name] || new Set();
          if (box.checked) chosen[name].add(value); else chosen[name].delete(value);
          run(input.value);
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(value + " "));
        label.appendChild(text("span", String(values[value] || 0), "atlas-search__count"));
        group.appendChild(label);
      });
      facets.appendChild(group);
    });
  }

  function showMore() {
    var serial = current.serial;
    var next = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += next.length;
    more.hidden = current.shown >= current.results.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
      if (serial !== current.serial) return;
      items.forEach(function (data) { list.appendChild(render(data)); });
    });
  }

  /* Pagefind counts filter values only once their lists are loaded, and those lists grow with
     the atlas: they are fetched after the first results are on screen, then the facets appear. */
  function facetsLater(query, serial) {
    pagefind.filters().then(function () {
      filtersReady = true;
      return searchAll(pagefind, query);
    }).then(function (search) {
      if (serial === current.serial) drawFacets(search.filters);
    });
  }

  var HAN = /([\u3400-\u9fff\uf900-\ufaff])(?=[\u3400-\u9fff\uf900-\ufaff])/g;

  /* Measures are indexed one Han character a word (generator/export/sitesearch.py, by_character): a
     Chinese word is searched as its characters in sequence, Pagefind's exact search. */
  function exact(word) {
    return /[\u3400-\u9fff\uf900-\ufaff]/.test(word) ? '"' + word.replace(HAN, "$1 ") + '"' : word;
  }

  function hasChoice() {
    return Object.keys(filterArg()).length > 0;
  }

  /* Measures containing every word (one exact search per word, intersected), then the other
     pages (Pagefind's own word search; they carry no facets, so a chosen facet leaves them out). */
  function searchAll(pf, query) {
    var words = query.replace(/["“”]/g, " ").split(/\s+/).filter(Boolean);
    var measureFilters = Object.assign({ "类型": "条款" }, filterArg());
    var searches = words.map(function (w) { return pf.search(exact(w), { filters: measureFilters }); });
    searches.push(hasChoice() ? Promise.resolve(null) : pf.search(words.join(" "), { filters: { "类型": "页面" } }));
    return Promise.all(searches).then(function (found) {
      var pages = found.pop();
      var first = found[0];
      var rest = found.slice(1).map(function (s) { return new Set(s.results.map(function (r) { return r.id; })); });
      var measures = first.results.filter(function (r) { return rest.every(function (ids) { return ids.has(r.id); }); });
      var out = { results: measures.concat(pages ? pages.results : []), measures: measures.length,
                  filters: first.filters };
      // Pagefind counts facets for one search; for several words they are counted over the
      // intersection from its results' own filters (few, for a multi-word query), else not shown.
      if (found.length === 1) return out;
      out.filters = null;
      if (measures.length > MAX_COUNTED) return out;
      return Promise.all(measures.map(function (r) { return r.data(); })).then(function (items) {
        var counts = {};
        items.forEach(function (d) {
          Object.keys(d.filters || {}).forEach(function (name) {
            counts[name] = counts[name] || {};
            d.filters[name].forEach(function (v) { counts[name][v] = (counts[name][v] || 0) + 1; });
          });
        });
        out.filters = counts;
        return out;
      });
    });
  }

  function run(query) {
    query = query.trim();
    var serial = ++current.serial;
    open();
    if (!query) {
      status.textContent = "输入词语即可搜索条款、政策文件与术语。";
      list.textContent = "";
      facets.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = "正在搜索……";
    return load().then(function (pf) {
      return searchAll(pf, query);
    }).then(function (search) {
      if (serial !== current.serial) return;
      current = { query: query, results: search.results, shown: 0, serial: serial };
      list.textContent = "";
      status.textContent = search.results.length
        ? "“" + query + "”：" + search.measures + " 条措施" + (search.results.length > search.measures
            ? "，另有 " + (search.results.length - search.measures) + " 个页面" : "")
        : "没有找到与“" + query + "”相关的结果。";
      root.removeAttribute("data-results");
      var shown = showMore().then(function () {
        // Set once the first results are on screen: what tests and the benchmark wait for.
        if (serial === current.serial) root.setAttribute("data-results", String(search.results.length));
      });
      if (filtersReady) drawFacets(search.filters);
      else shown.then(function () { facetsLater(query, serial); });
      return shown;
    }, function () {
      if (serial !== current.serial) return;
      status.textContent = "搜索索引不可用：本地预览（make serve）不建搜索索引，搜索需先运行 make site（或 make preview）。";
      root.setAttribute("data-results", "unavailable");
    });
  }

  function open() {
    panel.hidden = false;
    root.classList.add("atlas-search--open");
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("atlas-search--open");
  }

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function setup() {
    var header = document.querySelector(".md-header__inner");
    var anchor = header && header.querySelector(".md-header__source");
    if (header) header.insertBefore(root, anchor);
    root.classList.add("atlas-search--ready");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 120);
    });
    input.addEventListener("focus", function () { load(); if (input.value.trim()) open(); });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      run(input.value);
    });
    more.addEventListener("click", showMore);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { close(); input.blur(); return; }
      if ((event.key === "/" || event.key === "s" || event.key === "S") && !event.ctrlKey && !event.metaKey &&
          !event.altKey && !isTyping(document.activeElement)) {
        event.preventDefault();
        input.focus();
      }
    }, true);
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) close();
    });
    var params = new URLSearchParams(location.search);
    if (params.get("q")) {
      input.value = params.get("q");
      run(input.value);
    }
    if (params.getAll("highlight").length) {
      import(url("pagefind/pagefind-highlight.js")).then(function (mod) {
        var Highlight = mod.default || window.PagefindHighlight; // marks go on the article only, not the nav
        new Highlight({ highlightParam: "highlight", markContext: "article", addStyles: false });
      }, function () {});
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
