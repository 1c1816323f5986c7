/* 自选对照 /compare/regions/: 2–4 regions side by side on one theme or topic.
 *
 * The view's whole state lives in the query string (?regions=a,b&theme=t&topic=x), so the address is the
 * permalink. The data is written by the build as scripts, not fetched JSON files, so the same page works
 * from file:// in the offline bundle (generator/site/compare_data.py): window.ATLAS_COMPARE, the index
 * (regions, themes, topics, policies), comes with the page from compare-data.js; a theme's cells,
 * window.ATLAS_COMPARE_CELLS[theme], from its own compare-data/<theme>.js, which this script adds to the
 * page with a <script> element when the theme is first shown. Every text from the data is set with
 * textContent: contributor text is never parsed as HTML here.
 */
(function () {
  "use strict";
  var MAX = 4;
  var MIN = 2;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function readState(data) {
    var params = new URLSearchParams(window.location.search);
    var known = {};
    data.regions.forEach(function (r) { known[r.id] = r; });
    var regions = (params.get("regions") || "").split(",").filter(function (id, i, all) {
      return id && known[id] && all.indexOf(id) === i;
    }).slice(0, MAX);
    var themes = data.themes.map(function (t) { return t.id; });
    var theme = params.get("theme");
    var topic = params.get("topic");
    var topicTheme = null;
    data.topics.forEach(function (t) { if (t.id === topic) topicTheme = t.theme; });
    if (topicTheme) theme = topicTheme; else topic = null;
    if (themes.indexOf(theme) < 0) theme = themes[0];
    return { regions: regions, theme: theme, topic: topic };
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.regions.length) params.set("regions", state.regions.join(","));
    params.set("theme", state.theme);
    if (state.topic) params.set("topic", state.topic);
    var url = window.location.pathname + "?" + params.toString().replace(/%2C/g, ",");
    window.history.replaceState(null, "", url);
  }


  // A theme file's measure is a short array (compare_data.ITEM): [policy position, measure id, section,
  // summary, figures, link if it is not the usual one]. Read into an object once, when first shown.
  function measureOf(data, cells, i) {
    cells.read = cells.read || {};
    var item = cells.read[i];
    if (!item) {
      var m = cells.measures[i];
      var policy = data.policies[m[0]];
      var parts = data.measure_href;
      item = { policy: policy[1], section: m[2], summary: m[3], figures: m[4],
               href: m.length > 5 ? m[5] : parts[0] + policy[0] + parts[1] + m[1] + parts[2] };
      cells.read[i] = item;
    }
    return item;
  }

  // A region's page: region_href[0] + id + region_href[1], unless the region carries its own link.
  function regionHref(data, r) {
    return r.href || data.region_href[0] + r.id + data.region_href[1];
  }

  function cellItems(data, cells, regionId, topicId) {
    var byRegion = cells.cells[regionId] || {};
    return (byRegion[topicId] || []).map(function (i) { return measureOf(data, cells, i); });
  }

  // The rows of a view: the one topic asked for, or every topic of the theme that at least one of the
  // chosen regions has a measure on (a row of "未涉及" only would say nothing). The table and its CSV
  // are both made from this list, so the download holds exactly the rows shown.
  function rowsOf(data, cells, state, regions) {
    return data.topics.filter(function (t) {
      if (state.topic) return t.id === state.topic;
      return t.theme === state.theme && regions.some(function (r) {
        return ((cells.cells[r.id] || {})[t.id] || []).length;
      });
    });
  }

  function emptyText(data, regionId) {
    return (data.with_policies.indexOf(regionId) >= 0) ? "未涉及" : "未收录该地区的政策";
  }

  function itemText(item) {
    var head = item.figures.length ? item.figures.join("；") + "　" : "";
    return head + item.summary + "（" + item.policy + " " + item.section + "）";
  }

  // The same neutralisation as the site's CSV files: a cell a spreadsheet would run as a formula starts with '.
  function csvCell(text) {
    var value = String(text);
    if (/^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(value) || /^[\t\r\n]/.test(value)) value = "'" + value;
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function csvOf(data, cells, state, regions, rows) {
    var lines = [["议题"].concat(regions.map(function (r) { return r.label; }))];
    rows.forEach(function (topic) {
      lines.push([topic.name].concat(regions.map(function (r) {
        var items = cellItems(data, cells, r.id, topic.id);
        return items.length ? items.map(itemText).join("\n") : emptyText(data, r.id);
      })));
    });
    return "\ufeff" + lines.map(function (l) { return l.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function chosenRegions(data, state) {
    var byId = {};
    data.regions.forEach(function (r) { byId[r.id] = r; });
    return state.regions.map(function (id) { return byId[id]; });
  }

  function hint(app, text, cls) {
    var out = app.querySelector(".atlas-cmp-result");
    out.textContent = "";
    var p = el("p", { "class": "atlas-cmp-hint" + (cls ? " " + cls : "") }, text);
    if (cls) p.setAttribute("role", cls === "atlas-cmp-error" ? "alert" : "status");
    out.appendChild(p);
  }

  function renderTable(app, data, cells, state) {
    var out = app.querySelector(".atlas-cmp-result");
    out.textContent = "";
    var regions = chosenRegions(data, state);
    var rows = rowsOf(data, cells, state, regions);
    if (!rows.length) {
      out.appendChild(el("p", { "class": "atlas-cmp-hint" }, "所选地区在这一主题下都没有条款。"));
      return;
    }
    var table = el("table", { "class": "atlas-table atlas-sbs atlas-cmp-table", "data-regions": String(regions.length) });
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, "议题"));
    regions.forEach(function (r) {
      var th = el("th", { scope: "col", "data-region": r.id }, null);
      var name = r.doubt ? r.label.replace(/？$/, "") : r.label;
      th.appendChild(el("a", { href: app.dataset.base + regionHref(data, r) }, name));
      if (r.doubt) {  // "山东省？": the mark carries the reason as a tooltip and links to the evidence
        var mark = el(r.doubt_href ? "a" : "span", { "class": "atlas-doubt", title: r.doubt }, "？");
        if (r.doubt_href) mark.setAttribute("href", app.dataset.base + r.doubt_href);
        th.appendChild(mark);
      }
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (topic) {
      var tr = el("tr", { "data-topic": topic.id });
      tr.appendChild(el("th", { scope: "row" }, topic.name));
      regions.forEach(function (r) {
        var td = el("td");
        var items = cellItems(data, cells, r.id, topic.id);
        if (!items.length) {
          td.appendChild(el("span", { "class": "atlas-cmp-none" }, emptyText(data, r.id)));
        }
        items.forEach(function (item) {
          var div = el("div", { "class": "atlas-cmp-item" });
          if (item.figures.length) div.appendChild(el("strong", {}, item.figures.join("；")));
          div.appendChild(el("span", { "class": "atlas-cmp-summary" }, item.summary));
          var link = el("a", { href: app.dataset.base + item.href, "class": "atlas-cmp-source" },
                        item.policy + " " + item.section);
          div.appendChild(link);
          td.appendChild(div);
        });
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    var wrap = el("div", { "class": "atlas-table-wrap atlas-cmp-wrap" });  // side scrolling on a phone only; never a vertical box
    wrap.appendChild(table);
    out.appendChild(wrap);
    var button = el("button", { type: "button", "class": "md-button atlas-cmp-csv" }, "下载此对照（CSV）");
    button.addEventListener("click", function () {
      var blob = new Blob([csvOf(data, cells, state, regions, rows)], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob),
                        download: "compare-" + state.regions.join("-") + "-" + (state.topic || state.theme) + ".csv" });
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
    });
    out.appendChild(button);
  }

  function option(value, label, selected) {
    var o = el("option", { value: value }, label);
    if (selected) o.selected = true;
    return o;
  }

  function renderForm(app, data, state) {
    var form = app.querySelector(".atlas-cmp-form");
    form.textContent = "";
    for (var i = 0; i < MAX; i += 1) {
      var label = el("label", {}, "地区 " + (i + 1) + " ");
      var select = el("select", { name: "region", "data-slot": String(i) });
      select.appendChild(option("", i < MIN ? "（请选择）" : "（不选）", !state.regions[i]));
      data.regions.forEach(function (r) {
        select.appendChild(option(r.id, (r.indent || "") + r.label, state.regions[i] === r.id));
      });
      label.appendChild(select);
      form.appendChild(label);
    }
    var themeLabel = el("label", {}, "主题 ");
    var theme = el("select", { name: "theme" });
    data.themes.forEach(function (t) { theme.appendChild(option(t.id, t.name, t.id === state.theme)); });
    themeLabel.appendChild(theme);
    form.appendChild(themeLabel);
    var topicLabel = el("label", {}, "议题 ");
    var topic = el("select", { name: "topic" });
    topic.appendChild(option("", "（本主题全部议题）", !state.topic));
    data.topics.forEach(function (t) {
      if (t.theme === state.theme && !t.other) topic.appendChild(option(t.id, t.name, t.id === state.topic));
    });
    topicLabel.appendChild(topic);
    form.appendChild(topicLabel);
    form.onchange = function (event) {
      var picked = [];
      form.querySelectorAll("select[name=region]").forEach(function (s) {
        if (s.value && picked.indexOf(s.value) < 0) picked.push(s.value);
      });
      var next = { regions: picked, theme: theme.value, topic: topic.value || null };
      if (event.target === theme) next.topic = null;
      writeState(next);
      draw(app, data);
    };
  }

  // A theme's cells: window.ATLAS_COMPARE_CELLS[theme] once its script has run. The script is added to
  // the page the first time the theme is shown (a <script> element loads from file:// too, where fetch
  // cannot); done(true) once it has run, done(false) if it could not be loaded. A failed load is
  // forgotten, so choosing the theme again tries again.
  var loading = {};

  function loaded(theme) {
    var all = window.ATLAS_COMPARE_CELLS;
    return all && Object.prototype.hasOwnProperty.call(all, theme) ? all[theme] : null;
  }

  function load(app, data, theme, done) {
    if (loading[theme]) { loading[theme].push(done); return; }
    var src = null;
    data.themes.forEach(function (t) { if (t.id === theme) src = t.src; });
    loading[theme] = [done];
    function finish(script) {
      var waiting = loading[theme];
      delete loading[theme];
      var ok = !!loaded(theme);
      if (!ok && script) script.remove();
      waiting.forEach(function (callback) { callback(ok); });
    }
    if (!src) { finish(null); return; }
    var script = el("script", { src: app.dataset.base + src, "data-theme": theme });
    script.onload = function () { finish(script); };
    script.onerror = function () { finish(script); };
    document.head.appendChild(script);
  }

  // The table of the view in the address, once its theme's cells are here; the form is left as it is.
  function showResult(app, data) {
    var state = readState(data);
    if (chosenRegions(data, state).length < MIN) {
      hint(app, "请选择 2–4 个地区进行对照。");
      return;
    }
    var cells = loaded(state.theme);
    if (cells) {
      renderTable(app, data, cells, state);
      return;
    }
    hint(app, "正在载入…", "atlas-cmp-loading");
    load(app, data, state.theme, function (ok) {
      if (readState(data).theme !== state.theme) return;  // the reader has chosen another theme meanwhile
      if (ok) showResult(app, data);
      else hint(app, "未能载入该主题的对照数据。请检查网络连接后刷新页面重试。", "atlas-cmp-error");
    });
  }

  function draw(app, data) {
    var state = readState(data);
    renderForm(app, data, state);
    showResult(app, data);
  }

  function start() {
    var app = document.querySelector(".atlas-cmp-app");
    if (!app || !window.ATLAS_COMPARE) return;
    draw(app, window.ATLAS_COMPARE);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
