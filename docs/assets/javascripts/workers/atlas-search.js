/* Skills Policy Atlas: Chinese-aware search, as a thin wrapper around Material's search worker.

   Why: Material 9.8's worker re-segments every run of Chinese characters in a query against the
   index vocabulary before Lunr sees it (segment() in integrations/search/query/segment), and
   its loop never tries a word that ends on the run's last character. So the last word is cut
   to a prefix or lost: 技师 → 技*, 技能大赛 → 技能* 大*, 新八级工 → 新* 八级*. Index words are
   whole jieba words, and domain terms (世界技能大赛, 首席技师) are kept whole, so a prefix
   search cannot find 技能大赛 inside 世界技能大赛 or 技师 inside 首席技师 either.

   What: this file loads Material's worker unchanged and takes over one step, turning the query
   text into a Lunr query (lunr.Index#search). The original query is split at spaces and
   punctuation; each run of Chinese is cut, with the index's own vocabulary, into the fewest
   pieces that each occur inside some indexed word. Every piece is required and matches inside
   words (*技师* also finds 首席技师); an exact word match ranks higher. Material still ranks,
   highlights and renders the results. Queries using Lunr syntax (+ - : ^ ~ * ") are left to
   Material. Works as a real worker and under the iframe-worker shim used for file:// pages. */
(function () {
  "use strict";

  var MATERIAL_WORKER = "search.a7633da7.min.js"; /* pinned with mkdocs-material in constraints.txt */
  var QUERY = 2, RESULT = 3;                        /* Material's SearchMessageType */
  var HAN = /\p{sc=Han}/u;
  var HAN_RUNS = /\p{sc=Han}+|[^\p{sc=Han}]+/gu;
  var LUNR_SYNTAX = /(^|\s)[+-]|[:^~*"]/;
  var EXACT_BOOST = 10;
  var MAX_PIECE = 24;

  var pending = null;  /* the reader's query, while Material answers it */
  var answered = null; /* the pieces of the last query we answered */
  var vocabularies = typeof WeakMap === "function" ? new WeakMap() : null;

  /* "\n"-joined Chinese words of one index: a piece "occurs" if it is a substring of it. */
  function vocabulary(index) {
    var cached = vocabularies && vocabularies.get(index);
    if (cached) return cached;
    var words = Object.keys(index.invertedIndex).filter(function (w) { return HAN.test(w); });
    var joined = "\n" + words.join("\n") + "\n";
    var vocab = { joined: joined, words: new Set(words) };
    if (vocabularies) vocabularies.set(index, vocab);
    return vocab;
  }

  /* Cut a run of Chinese the way the index was cut: prefer whole indexed words of two or more
     characters (so 技能大赛 becomes 技能 + 大赛 and still finds 职业技能|大赛, which jieba cut
     apart), then a piece found inside a longer indexed word (首席技, typed on the way to 首席技师,
     stays one piece rather than 首席 + 技), then single characters. */
  function cost(piece, vocab) {
    if (vocab.words.has(piece)) return piece.length > 1 ? 2 : 5;
    return piece.length === 1 || vocab.joined.indexOf(piece) >= 0 ? 6 : Infinity;
  }

  function segment(run, vocab) {
    var n = run.length, best = [0], back = [0];
    for (var i = 1; i <= n; i++) {
      best[i] = Infinity;
      for (var j = Math.max(0, i - MAX_PIECE); j < i; j++) {
        var c = best[j] + cost(run.slice(j, i), vocab);
        if (c < best[i]) { best[i] = c; back[i] = j; }
      }
    }
    var pieces = [];
    for (var k = n; k > 0; k = back[k]) pieces.unshift(run.slice(back[k], k));
    return pieces;
  }

  /* The reader's query as a list of pieces, or null to let Material handle it. */
  function pieces(query, vocab) {
    if (!HAN.test(query) || LUNR_SYNTAX.test(query)) return null;
    var separator = new RegExp(lunr.tokenizer.separator.source, "g");
    var out = [];
    query.toLowerCase().split(separator).forEach(function (chunk) {
      (chunk.match(HAN_RUNS) || []).forEach(function (run) {
        if (HAN.test(run)) out.push.apply(out, segment(run, vocab));
        else if (run.trim()) out.push(run.trim());
      });
    });
    return out.filter(function (p, i) { return p && out.indexOf(p) === i; });
  }

  function buildQuery(query, words, vocab) {
    var Q = lunr.Query;
    words.forEach(function (word) {
      if (HAN.test(word)) {
        query.term(word, { presence: Q.presence.REQUIRED, usePipeline: false,
                           wildcard: Q.wildcard.LEADING | Q.wildcard.TRAILING });
        if (vocab.words.has(word))
          query.term(word, { presence: Q.presence.OPTIONAL, usePipeline: false, boost: EXACT_BOOST });
      } else {
        query.term(word, { presence: Q.presence.REQUIRED, usePipeline: false, wildcard: Q.wildcard.TRAILING });
      }
    });
  }

  function patchLunr() {
    var search = lunr.Index.prototype.search;
    lunr.Index.prototype.search = function (queryString) {
      var raw = pending;
      pending = null;
      var vocab = raw === null ? null : vocabulary(this);
      var words = vocab ? pieces(raw, vocab) : null;
      if (!words || !words.length) return search.call(this, queryString);
      answered = words;
      return this.query(function (q) { buildQuery(q, words, vocab); });
    };
  }

  /* Inbound: remember the reader's query for the synchronous search that answers it. */
  var addEventListener = self.addEventListener;
  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return addEventListener.call(self, type, listener, options);
    return addEventListener.call(self, type, function (ev) {
      var message = ev.data;
      pending = message && message.type === QUERY && typeof message.data === "string" ? message.data : null;
      answered = null;
      try { return listener.call(this, ev); } finally { pending = null; }
    }, options);
  };

  /* Outbound: every piece is required, so every result has every term ("missing" would be wrong),
     and the pieces go into the result links' ?h= highlight. */
  var postMessage = self.postMessage;
  self.postMessage = function (message) {
    if (message && message.type === RESULT && answered && message.data && message.data.items) {
      var terms = {};
      answered.forEach(function (w) { terms[w] = true; });
      message.data.items.forEach(function (group) {
        group.forEach(function (item) { if (item.score > 0) item.terms = terms; });
      });
    }
    return postMessage.apply(self, arguments);
  };

  var here = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : self.location.href;
  var loaded = importScripts(new URL(MATERIAL_WORKER, here).href);
  if (loaded && typeof loaded.then === "function") loaded.then(patchLunr);
  else patchLunr();
})();
