/* Skills Policy Atlas: the search box in the header, over the atlas's own index (site/search/).

   The index (generator/export/sitesearch.py, whose docstring says why it is not Pagefind's) is
   split so that what a reader downloads grows with the query, not with the atlas: a query word is
   cut into the same 1-3 character pieces the records were indexed by; each piece's lists of record
   numbers come from one shard (or the piece's own file, when its lists are long); the records on
   screen come from small fragment files; facets from one table loaded after the first results.
   This script is the whole UI: the box in Material's header (opened with / or s), results with
   facets (省份, 地区, 主题, 文种, 年份), ?q= in the URL, and, on the page a result opens, its
   words highlighted. Searching starts on every `input` event, so typed, pasted or dropped text all
   search.

   Every result text is contributor data: it is only ever set as text (textContent, text nodes).
   `make serve` has no index: the box says how to get one. */
(function () {
  "use strict";

  var FORMAT = 1;
  var PAGE = 10;
  var root = document.getElementById("atlas-search");
  if (!root) return; // the offline bundle: Material's own search

  var base = (root.getAttribute("data-base") || ".").replace(/\/$/, "");
  var input = root.querySelector(".atlas-search__input");
  var panel = root.querySelector(".atlas-search__panel");
  var facets = root.querySelector(".atlas-search__facets");
  var status = root.querySelector(".atlas-search__status");
  var list = root.querySelector(".atlas-search__results");
  var more = root.querySelector(".atlas-search__more");
  var FACET_VALUES = 12; // values listed per facet before "其余 N 项"
  var chosen = {}; // facet name → set of chosen values
  var expanded = {}; // facet name → true once the reader asked for all its values
  var current = { serial: 0 };
  var meta = null;
  var loading = null;
  var table = null; // the facet table, once loaded
  var tableLoading = null;
  var files = {}; // path → promise of its JSON

  function url(path) {
    return new URL(base + "/" + path, document.baseURI).href;
  }

  /* Every index file but meta.json is stored gzipped (a quarter of the disk): inflated here. */
  function fetchJSON(path, fresh) {
    return fetch(url("search/" + path) + (meta && !fresh ? "?v=" + meta.version : ""), fresh ? { cache: "no-cache" } : {})
      .then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        if (!/\.gz$/.test(path)) return r.json();
        return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
      });
  }

  function file(path) {
    if (!files[path]) files[path] = fetchJSON(path).catch(function (e) { delete files[path]; throw e; });
    return files[path];
  }

  function load() {
    if (!loading) {
      loading = fetchJSON("meta.json", true).then(function (m) {
        if (m.format !== FORMAT) throw new Error("search index format " + m.format);
        meta = m;
        return m;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* ----------------------------------------------------------------- the pieces of a query
     The same as sitesearch.py: runs of letters, digits and Han characters, lowercased; a run of up
     to three characters is one piece, a longer one trigrams overlapping by one character. */
  var RUN = /[\p{L}\p{N}]+/gu;

  function pieces(word) {
    var out = [];
    (word.toLowerCase().match(RUN) || []).forEach(function (run) {
      var chars = Array.from(run);
      var n = chars.length;
      if (n <= 3) { out.push(run); return; }
      var starts = [];
      for (var i = 0; i <= n - 3; i += 2) starts.push(i);
      if (starts[starts.length - 1] !== n - 3) starts.push(n - 3);
      starts.forEach(function (s) { out.push(chars.slice(s, s + 3).join("")); });
    });
    return out.filter(function (p, i) { return out.indexOf(p) === i; });
  }

  var encoder = new TextEncoder();

  function fnv1a(token) {
    var h = 0x811c9dc5;
    encoder.encode(token).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    return h >>> 0;
  }

  function undelta(values) {
    var out = new Array(values.length), total = 0;
    for (var i = 0; i < values.length; i++) { total += values[i]; out[i] = total; }
    return out;
  }

  /* A piece's three lists: measures containing it, measures whose title does, other pages. */
  function entry(piece) {
    return file("s/" + (fnv1a(piece) % meta.shards) + ".json.gz").then(function (shard) {
      var found = Object.prototype.hasOwnProperty.call(shard, piece) ? shard[piece] : null;
      return typeof found === "string" ? file(found) : found;
    }).then(function (found) {
      return found ? found.map(undelta) : [[], [], []];
    });
  }

  function intersect(a, b) { // both sorted
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function words(query) {
    return query.replace(/["“”]/g, " ").split(/\s+/).filter(function (w) { return pieces(w).length; });
  }

  /* Every measure and page holding every piece of every word; measures whose titles hold them first. */
  function lookup(ws) {
    var all = [];
    ws.forEach(function (w) { pieces(w).forEach(function (p) { if (all.indexOf(p) < 0) all.push(p); }); });
    return Promise.all(all.map(entry)).then(function (entries) {
      var m = entries[0][0], t = entries[0][1], p = entries[0][2];
      entries.slice(1).forEach(function (e) { m = intersect(m, e[0]); t = intersect(t, e[1]); p = intersect(p, e[2]); });
      var inTitle = new Set(t);
      var first = m.filter(function (i) { return inTitle.has(i); });
      var rest = m.filter(function (i) { return !inTitle.has(i); });
      return { measures: first.concat(rest), pages: p };
    });
  }

  /* ----------------------------------------------------------------- facets */
  function loadTable() {
    if (!tableLoading) {
      tableLoading = file("facets.json.gz").then(function (t) {
        var policyOf = new Int32Array(meta.measures), at = 0;
        t.runs.forEach(function (count, policy) { for (var k = 0; k < count; k++) policyOf[at++] = policy; });
        t.policyOf = policyOf;
        t.column = {};
        t.per_policy.forEach(function (name, col) { t.column[name] = col; });
        table = t;
        return t;
      });
    }
    return tableLoading;
  }

  function valuesOf(id, name) { // indexes into table.values[name]
    if (name === "主题") return table.themes[id];
    return [table.policies[table.policyOf[id]][table.column[name]]];
  }

  function hasChoice() {
    return Object.keys(chosen).some(function (name) { return chosen[name].size > 0; });
  }

  function passes(id) {
    return Object.keys(chosen).every(function (name) {
      var want = chosen[name];
      if (!want.size) return true;
      var names = table.values[name];
      return valuesOf(id, name).some(function (v) { return want.has(names[v]); });
    });
  }

  /* counts: facet → value → number of results. */
  function count(ids) {
    var counts = {};
    meta.facets.forEach(function (name) {
      var names = table.values[name], tally = {};
      ids.forEach(function (id) {
        valuesOf(id, name).forEach(function (v) { tally[names[v]] = (tally[names[v]] || 0) + 1; });
      });
      counts[name] = tally;
    });
    return counts;
  }

  function drawFacets(counts) {
    facets.textContent = "";
    meta.facets.forEach(function (name) {
      var values = counts[name] || {};
      var keys = Object.keys(values).filter(function (v) { return values[v] > 0 || (chosen[name] && chosen[name].has(v)); });
      if (chosen[name]) chosen[name].forEach(function (v) { if (keys.indexOf(v) < 0) keys.push(v); });
      if (!keys.length) return;
      keys.sort(function (x, y) { return (values[y] || 0) - (values[x] || 0) || (x < y ? -1 : 1); });
      var group = document.createElement("fieldset");
      group.className = "atlas-search__facet";
      group.appendChild(text("legend", name));
      // A national atlas has thousands of places: the most frequent values first, the rest on request.
      var hidden = expanded[name] ? [] : keys.slice(FACET_VALUES).filter(function (v) { return !(chosen[name] && chosen[name].has(v)); });
      keys = keys.filter(function (v) { return hidden.indexOf(v) < 0; });
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
      if (hidden.length) {
        var all = text("button", "其余 " + hidden.length + " 项", "atlas-search__facet-more");
        all.type = "button";
        all.addEventListener("click", function () { expanded[name] = true; drawFacets(counts); });
        group.appendChild(all);
      }
      facets.appendChild(group);
    });
  }

  /* ----------------------------------------------------------------- results */
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }

  function record(kind, id) {
    return file("f/" + kind + Math.floor(id / meta.group) + ".json.gz").then(function (group) {
      return group[id % meta.group];
    });
  }

  function contains(rec, ws) {
    var haystack = rec.text.toLowerCase();
    return ws.every(function (w) { return haystack.indexOf(w.toLowerCase()) >= 0; });
  }

  /* About forty characters around the first word found, every word in it marked. */
  function excerpt(value, ws) {
    var flat = value.replace(/\s+/g, " ");
    var lower = flat.toLowerCase();
    var at = lower.indexOf(ws[0].toLowerCase());
    var start = Math.max(0, at - 12);
    var piece = flat.slice(start, start + 60);
    var out = document.createElement("p");
    out.className = "atlas-search__excerpt";
    if (start > 0) out.appendChild(document.createTextNode("…"));
    var lowerPiece = piece.toLowerCase(), i = 0;
    while (i < piece.length) {
      var hit = null;
      ws.forEach(function (w) {
        if (!hit && lowerPiece.substr(i, w.length) === w.toLowerCase()) hit = piece.substr(i, w.length);
      });
      if (hit) { out.appendChild(text("mark", hit)); i += hit.length; continue; }
      var next = i + 1;
      out.appendChild(document.createTextNode(piece.charAt(i)));
      i = next;
    }
    if (start + 60 < flat.length) out.appendChild(document.createTextNode("…"));
    out.normalize();
    return out;
  }

  /* The link a result opens, with the query's words for the highlight on that page. */
  function target(raw, ws) {
    var link = new URL(url(raw.replace(/^\/+/, "")));
    ws.forEach(function (w) { link.searchParams.append("highlight", w); });
    return link.href;
  }

  function render(rec, ws) {
    var li = document.createElement("li");
    li.className = "atlas-search__result";
    li.setAttribute("data-kind", rec.kind === "measure" ? "measure" : "page");
    li.setAttribute("data-url", rec.url);
    var a = document.createElement("a");
    a.href = target(rec.url, ws);
    a.appendChild(text("span", rec.title, "atlas-search__title"));
    li.appendChild(a);
    if (rec.kind === "measure") {
      var where = text("p", "", "atlas-search__where");
      where.appendChild(text("span", rec.place, "atlas-region-tag"));
      where.appendChild(document.createTextNode(rec.policy + "（" + rec.year + "）"));
      li.appendChild(where);
    } else if (rec.place) {
      li.appendChild(text("p", rec.place + (rec.year ? "（" + rec.year + "）" : ""), "atlas-search__where"));
    }
    li.appendChild(excerpt(rec.text, ws));
    return li;
  }

  function describe(state) {
    var m = state.measureCount, p = state.pageCount;
    if (!m && !p) return "没有找到与“" + state.query + "”相关的结果。";
    return "“" + state.query + "”：" + m + " 条措施" + (p ? "，另有 " + p + " 个页面" : "");
  }

  /* The next PAGE results that really hold the words (a record holding every piece apart is skipped,
     and no longer counted). */
  function showMore() {
    var state = current;
    // One batch at a time: a click while a batch is still arriving waits for it (the button's state
    // and the count are then those of every result before).
    state.pending = (state.pending || Promise.resolve()).then(function () { return nextBatch(state); });
    return state.pending;
  }

  function nextBatch(state) {
    var shown = 0;
    function step() {
      if (state !== current) return Promise.resolve();
      if (shown >= PAGE || state.next >= state.items.length) {
        more.hidden = state.next >= state.items.length;
        return Promise.resolve();
      }
      var batch = state.items.slice(state.next, state.next + PAGE - shown);
      state.next += batch.length;
      return Promise.all(batch.map(function (it) { return record(it[0], it[1]); })).then(function (recs) {
        if (state !== current) return;
        recs.forEach(function (rec, k) {
          if (rec && contains(rec, state.words)) {
            list.appendChild(render(rec, state.words));
            shown++;
          } else if (batch[k][0] === "m") state.measureCount--;
          else state.pageCount--;
        });
        status.textContent = describe(state);
        return step();
      });
    }
    return step();
  }

  function run(query) {
    query = query.trim();
    var serial = ++current.serial;
    open();
    var ws = words(query);
    if (!ws.length) {
      current = { serial: serial, items: [], next: 0 };
      status.textContent = "输入词语即可搜索条款、政策文件与术语。";
      list.textContent = "";
      facets.textContent = "";
      more.hidden = true;
      return Promise.resolve();
    }
    status.textContent = "正在搜索……";
    return load().then(function () {
      return lookup(ws);
    }).then(function (found) {
      if (serial !== current.serial) return;
      return (hasChoice() ? loadTable() : Promise.resolve()).then(function () {
        if (serial !== current.serial) return;
        var measures = hasChoice() ? found.measures.filter(passes) : found.measures;
        var pages = hasChoice() ? [] : found.pages; // pages carry no facets: a chosen facet leaves them out
        var items = measures.map(function (i) { return ["m", i]; }).concat(pages.map(function (i) { return ["p", i]; }));
        current = { serial: serial, query: query, words: ws, items: items, next: 0,
                    measureCount: measures.length, pageCount: pages.length };
        list.textContent = "";
        status.textContent = describe(current);
        root.removeAttribute("data-results");
        var state = current;
        return showMore().then(function () {
          if (state !== current) return;
          // Set once the first results are on screen: what tests and the benchmark wait for.
          root.setAttribute("data-results", String(state.measureCount + state.pageCount));
          // Facets count the results shown (as chosen facets narrow them); loaded after the first results.
          loadTable().then(function () {
            if (state === current) drawFacets(count(measures));
          });
        });
      });
    }).catch(function () {
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
    var marks = params.getAll("highlight").filter(Boolean);
    if (marks.length) highlight(marks);
  }

  /* The words a result was found by, marked in the article it opens (text nodes only; never the nav). */
  function highlight(ws) {
    var article = document.querySelector(".md-content article") || document.querySelector("article");
    if (!article) return;
    var lower = ws.map(function (w) { return w.toLowerCase(); });
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var value = node.nodeValue, low = value.toLowerCase(), pos = [];
      if (node.parentNode.closest("script, style, mark.atlas-highlight, nav, header, .headerlink")) return;
      lower.forEach(function (w) {
        for (var at = low.indexOf(w); at >= 0; at = low.indexOf(w, at + w.length)) pos.push([at, at + w.length]);
      });
      if (!pos.length) return;
      pos.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      var frag = document.createDocumentFragment(), last = 0;
      pos.forEach(function (p) {
        if (p[0] < last) return;
        frag.appendChild(document.createTextNode(value.slice(last, p[0])));
        frag.appendChild(text("mark", value.slice(p[0], p[1]), "atlas-highlight"));
        last = p[1];
      });
      frag.appendChild(document.createTextNode(value.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
