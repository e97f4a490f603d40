/* Search for woo-publicatie: reads ?q= and filters from the URL, loads only the index shards of the
   query's terms (lunr 2.3 indexes with lunr-languages' Dutch pipeline) and renders the results:
   decisions, each with the documents where the words occur below it. Every text from the index is
   put in the page as text (textContent, text nodes), never as HTML: titles come from packages.
   Index layout (publish/search.py): refs are stable ids; each bucket of decisions is an index of
   its own, so a term is looked up in one file per bucket (format 6: s-G-N.json holds the term's shard
   of the decision index, "b", and of the text index, "t"; a term with a digit, a code, is in k-G-N.json,
   the decision index only); scores are computed here (BM25).
   Without JavaScript the page explains how to browse instead. */
(function () {
  "use strict";
  // The theme's scripts (Material's bundle: header, tabs, ...) are held back on this page (theme/main.html:
  // type="text/x-woo-later", which the browser does not run) so that their main-thread work does not delay the first results; loaded here, in
  // order, once the first results are in the page (or at once without a query, or after 3 s whatever happens).
  var themeLoaded = false;
  // JavaScript runs: the header's search box may show (woo.css hides it under .no-js; the held-back theme
  // removes no-js as well). Done once the first results are painted (or the status without results):
  // changing the class of <html> restyles the whole page, work that the query's responses would wait behind.
  function showHeaderSearch() { document.documentElement.classList.remove("no-js"); }
  function loadTheme() {
    showHeaderSearch();
    if (themeLoaded) return;
    // The held-back script tags come after this script: while the page is still being parsed they may not
    // exist yet (a busy phone can run the first frame before that), so wait for the parse to finish.
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", loadTheme); return; }
    themeLoaded = true;
    var later = Array.prototype.slice.call(document.querySelectorAll('script[type="text/x-woo-later"]'));
    if (!later.length) return;
    // Material starts on DOMContentLoaded, which has passed. The event is not dispatched again (every
    // listener of the page would run twice): while the held-back scripts run, a DOMContentLoaded listener
    // they add is kept aside, and called once, by itself, after the last of them has run.
    var starters = [];
    document.addEventListener = function (type, listener, options) {
      if (type === "DOMContentLoaded" && listener) { starters.push(listener); return; }
      return EventTarget.prototype.addEventListener.call(document, type, listener, options);
    };
    (function next(i) {
      if (i >= later.length) {
        delete document.addEventListener;  // the own property: the prototype's method is used again
        var event = new Event("DOMContentLoaded");
        starters.forEach(function (listener) {
          try {
            if (typeof listener === "function") listener.call(document, event);
            else if (typeof listener.handleEvent === "function") listener.handleEvent(event);
          } catch (e) {
            setTimeout(function () { throw e; }, 0);  // reported as an uncaught error, as the browser would; the others still start
          }
        });
        return;
      }
      var s = document.createElement("script");
      s.src = later[i].src;
      s.onload = s.onerror = function () { next(i + 1); };
      document.body.appendChild(s);
    })(0);
  }
  function afterPaint(f) {  // once the browser has painted what is in the page now
    if (window.requestAnimationFrame) requestAnimationFrame(function () { setTimeout(f, 0); });
    else setTimeout(f, 0);
  }
  function loadThemeSoon() { afterPaint(loadTheme); }
  setTimeout(loadTheme, 3000);
  var root = document.getElementById("woo-search");
  if (!root || !window.lunr || !window.lunr.wooStem) { loadTheme(); return; }
  // For benchmarks/search_scale.py: when this script starts handling the query (its "query latency" runs from here).
  if (window.performance && performance.mark) performance.mark("search:start");
  var base = root.getAttribute("data-index");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var FORMAT = 7;  // the index format this script reads (publish/search.py's INDEX_VERSION)
  var cache = {};
  var stems = new Map();  // stem(): every word once (the query's, and highlighting every word of every result shown)
  // Format 7: the shard counts are already here (index/zoek-shards.js, run before this script): the query's
  // shards are requested first thing, before anything else this script or the page does. The search itself
  // uses meta.json's counts: if the two differ (an index replaced between the two requests), it loads the
  // files meta.json names.
  var early = window.wooSearchShards;
  var prefetched = !!(query && early && early.versie === FORMAT && Array.isArray(early.shards) && Array.isArray(early.codes));
  if (prefetched) prefetch(early);
  // meta.json (the search page preloads it) names the number of index shards in its first bytes: without
  // zoek-shards.js the shards of the query's terms are requested from there, while the rest still arrives.
  // With the counts from zoek-shards.js meta.json is read whole (one parse, no script task per chunk of it).
  if (query && !prefetched) loadMeta().then(prefetch, function () {});
  else load("meta.json");
  var form = document.querySelector(".woo-search-form");
  if (form) form.hidden = false;  // hidden in the HTML: without JavaScript the page shows how to browse instead
  var siteRoot = root.getAttribute("data-root");
  var status = document.getElementById("woo-search-status");
  var list = document.getElementById("woo-search-results");
  var facetBox = document.getElementById("woo-search-facets");
  var input = document.getElementById("woo-q");
  var sortSelect = document.getElementById("woo-sort");
  var sort = params.get("sorteer") || "relevantie";
  var FACETS = [["soort", "Soort"], ["jaar", "Jaar"], ["organisatie", "Organisatie"], ["uitkomst", "Uitkomst"], ["grond", "Weigeringsgrond"], ["onderwerp", "Onderwerp"]];
  var PAGE = 10;
  var FIRST_DOCS = 3, MORE_DOCS = 20;  // documents shown under a decision at first, and per click
  var capped = Object.create(null);  // terms whose postings were cut (listed in their shard); no prototype: a word "constructor" is not one
  input.value = query;
  if (!query) { showHeaderSearch(); loadThemeSoon(); }
  if (sortSelect) sortSelect.value = sort;

  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name);
        return r.json();
      });
    }
    return cache[name];
  }
  // {"versie":6,"emmers":10,...,"shards":[..],"codes":[..],...: only numbers before "shards" (per bucket its
  // number of s- files, then of k- files).
  var SHARDS_PREFIX = /^\{(?:"[A-Za-z]+":\d+,)*"shards":(\[[\d,]*\]),"codes":(\[[\d,]*\])/;
  function loadMeta() {
    var found, early = new Promise(function (resolve) { found = resolve; });
    cache["meta.json"] = fetch(base + "meta.json").then(function (r) {
      if (!r.ok) throw new Error("meta.json");
      if (!r.body || !r.body.getReader || !window.TextDecoder) return r.json();
      var reader = r.body.getReader(), decoder = new TextDecoder(), text = "", seen = false;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) return JSON.parse(text + decoder.decode());
          text += decoder.decode(step.value, { stream: true });
          if (!seen && text.length >= 16) {
            var m = SHARDS_PREFIX.exec(text);
            // Not in the first bytes (another index version): the whole file decides, as before.
            if (m || text.length > 4096) seen = true;
            if (m) found({ shards: JSON.parse(m[1]), codes: JSON.parse(m[2]) });
          }
          return pump();
        });
      }
      return pump();
    });
    cache["meta.json"].then(function (meta) { found(meta); }, function () {});
    return early;
  }
  // The shards every term of the query needs, requested at once (searchShard finds them in the cache).
  function prefetch(shards) {
    var parsed = parseQuery(query);
    parsed.words.forEach(function (term) { shardNames(shards, term).forEach(load); });
    // A ground code (5.1.2.e) is looked up in meta.json, not in a shard.
    parsed.raw.forEach(function (part) { if (!/^\d+(\.\d+)+\.?[a-z]?$/i.test(part)) shardNames(shards, compact(part)).forEach(load); });
    mark("woo-search:prefetch");
  }
  function shardNames(counts, term) {  // per bucket with files: the one holding the term (counts: meta.json's shards and codes)
    var code = /\d/.test(term), out = [], h = fnv(term);
    (code ? counts.codes : counts.shards).forEach(function (count, g) {
      if (count) out.push((code ? "k-" : "s-") + g + "-" + (h % count) + ".json");
    });
    return out;
  }
  function mark(name) { if (window.performance && performance.mark) performance.mark(name); }
  function fnv(term) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function stem(word) {
    if (!stems.has(word)) stems.set(word, stemOnce(word));
    return stems.get(word);
  }
  function stemOnce(word) {
    var token = new lunr.Token(word.toLowerCase(), {});
    token = lunr.nl.trimmer(token);
    if (!token || !token.toString()) return null;
    if (lunr.nl.stopWordFilter(token) === undefined) return null;
    return lunr.wooStem(token.toString());
  }
  function compact(s) { return String(s).toLowerCase().replace(/[^0-9a-z]/g, ""); }
  function parseQuery(q) {
    var words = [], codes = [], raw = [];
    q.split(/\s+/).forEach(function (part) {
      if (!part) return;
      if (/\d/.test(part)) { codes.push(compact(part)); raw.push(part); return; }
      part.split(/-+/).forEach(function (w) { var s = stem(w); if (s) words.push(s); });
    });
    return { words: words.filter(function (w, i, a) { return a.indexOf(w) === i; }), codes: codes, raw: raw };
  }
  // DOM helpers: el("a", {href: ...}, child, ...) where a child is a node or plain text.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === "") continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function highlight(text, stems) {  // a fragment: the words of the query in <mark>, the rest as text
    var frag = document.createDocumentFragment(), re = /[A-Za-zÀ-ÿ]+/g, last = 0, m;
    text = String(text);
    while ((m = re.exec(text))) {
      var s = stem(m[0]);
      if (s && stems.indexOf(s) >= 0) {
        if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
        frag.appendChild(el("mark", {}, m[0]));
        last = m.index + m[0].length;
      }
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }
  var scored = {}, totals = {};
  // The statistics of the whole index (one kind), from those of its buckets in meta.json: once per kind.
  function totalsOf(meta, key) {
    if (totals[key]) return totals[key];
    var documents = 0, sums = {};
    meta.statistiek[key].forEach(function (stats) {
      documents += stats[0];
      Object.keys(stats[1]).forEach(function (field) {
        var s = sums[field] || (sums[field] = [0, 0]);
        s[0] += stats[1][field][0]; s[1] += stats[1][field][1];
      });
    });
    return (totals[key] = { documents: documents, sums: sums });
  }
  // A term is looked up in one shard of every bucket (the base buckets by id and the recent levels,
  // each with its own files). A shard holds per term its document frequency and per posting the term's
  // count and the field's length; every bucket's statistics are in meta.json. Scores are BM25 as
  // lunr.js 2.3 computes them, summed over the fields, over the whole index: the document frequencies
  // of the term's shards and the buckets' statistics added up. So the scores do not depend on which
  // bucket a decision is in, and a decision added to one bucket changes no other bucket's files.
  function searchShard(kind, meta, term) {
    var key = kind === "b" ? "besluiten" : "tekst", boosts = meta.velden[key];
    var memoKey = kind + "\u0000" + term;
    if (scored[memoKey]) return scored[memoKey];
    var k1 = meta.bm25[0], b = meta.bm25[1];
    return (scored[memoKey] = Promise.all(shardNames(meta, term).map(function (name) {
      return load(name).then(function (json) {
        (json.afgekapt || []).forEach(function (t) { capped[t] = true; });
        var part = json[kind] || {};  // a code file has no text index
        return Object.prototype.hasOwnProperty.call(part, term) ? part[term] : null;
      });
    })).then(function (entries) {
      var whole = totalsOf(meta, key), documents = whole.documents, sums = whole.sums, df = 0;
      entries.forEach(function (entry) { if (entry) df += entry[0]; });
      var idf = Math.log(1 + Math.abs((documents - df + 0.5) / (df + 0.5)));
      var byRef = Object.create(null), order = [];
      entries.forEach(function (entry) {
        if (!entry) return;
        Object.keys(entry[1]).forEach(function (field) {
          var lengths = sums[field] || [0, 0], average = (lengths[1] ? lengths[0] / lengths[1] : 0) || 1;
          var boost = boosts[field], flat = entry[1][field];
          for (var i = 0; i < flat.length; i += 3) {
            var tf = flat[i + 1], score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (flat[i + 2] / average)) + tf) * boost;
            if (!(flat[i] in byRef)) { byRef[flat[i]] = 0; order.push(flat[i]); }
            byRef[flat[i]] += score;
          }
        });
      });
      var found = order.map(function (ref) { return { ref: ref, score: byRef[ref] }; });
      found.sort(function (x, y) { return y.score - x.score; });  // best first, as lunr's query gave them
      return found;
    }));
  }
  // One collator for every facet value: a.localeCompare(b, "nl") makes one per call (the same order), which on a
  // slow phone took most of the 200 ms that counting and sorting the facets of a one-word query took.
  // Made when the facets are first sorted, after the first result: making a collator took a slow phone 15 to 75 ms.
  var collator = null;
  function dutchOrder(a, b) {
    if (!collator) collator = window.Intl && Intl.Collator ? new Intl.Collator("nl").compare : function (x, y) { return x.localeCompare(y, "nl"); };
    return collator(a, b);
  }
  function url(changes) {
    var p = new URLSearchParams(window.location.search);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] === null) p.delete(k); else p.set(k, changes[k]);
    });
    var s = p.toString();
    return window.location.pathname + (s ? "?" + s : "");
  }
  function toggled(key, value) {
    var current = params.getAll(key), p = new URLSearchParams(window.location.search);
    p.delete(key);
    var next = current.indexOf(value) >= 0 ? current.filter(function (v) { return v !== value; }) : current.concat([value]);
    next.forEach(function (v) { p.append(key, v); });
    var s = p.toString();
    return window.location.pathname + (s ? "?" + s : "");
  }

  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
  function longDay(day) {  // "29 april 2024", as every other page writes dates
    var d = new Date(day * 86400000);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function dayOf(iso) {  // "2024-04-29" -> days since 1970, or null
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000 : null;
  }
  var fromDay = dayOf(params.get("van")), toDay = dayOf(params.get("tot"));
  var docFromDay = dayOf(params.get("docvan")), docToDay = dayOf(params.get("doctot"));
  [["woo-van", "van", fromDay], ["woo-tot", "tot", toDay], ["woo-docvan", "docvan", docFromDay], ["woo-doctot", "doctot", docToDay]].forEach(function (f) {
    var field = document.getElementById(f[0]);
    if (field && f[2] !== null) field.value = params.get(f[1]);
  });
  var docFilter = docFromDay !== null || docToDay !== null;
  function docDayPasses(day) {
    if (!docFilter) return true;
    return day !== null && (docFromDay === null || day >= docFromDay) && (docToDay === null || day <= docToDay);
  }
  function decode(meta) {
    // meta.json is columnar and delta-coded to stay small; a row is [year, org, outcome, grounds, subjects, day,
    // published day, kind]. Only the days are decoded for every decision (they are delta-coded); a row is made
    // when a query needs it (the matches, a few per cent of the decisions): at 10,000 decisions making every
    // row took tens of milliseconds on a slow phone before the shards could be searched.
    var days = new Array(meta.aantal), day = 0, years = {}, made = new Array(meta.aantal);
    for (var n = 0; n < meta.aantal; n++) days[n] = day = n === 0 ? meta.datum[0] : day - meta.datum[n];
    return function row(n) {
      if (made[n]) return made[n];
      var d = days[n], mask = meta.grond[n], grounds = [];
      for (var g = 0; mask > 0; g++, mask = Math.floor(mask / 2)) if (mask % 2) grounds.push(g);
      if (!(d in years)) years[d] = new Date(d * 86400000).getUTCFullYear();
      return (made[n] = [years[d], meta.organisatie[n], meta.uitkomst[n], grounds, meta.onderwerp[n], d, d + meta.publicatie[n], meta.soort[n]]);
    };
  }

  load("meta.json").then(function (meta) {
    mark("woo-search:meta");
    var row = decode(meta), count = meta.aantal;
    var idIndex = new Map();  // stable id -> position (10,000 keys: a Map is made faster than an object's properties)
    meta.id.forEach(function (id, n) { idIndex.set(id, n); });
    function facetValues(key, row) {
      if (key === "jaar") return [String(row[0])];
      if (key === "organisatie") return [meta.organisaties[row[1]]];
      if (key === "soort") return [meta.soorten[row[7]]];
      if (key === "uitkomst") return row[2] < 0 ? [] : [meta.uitkomsten[row[2]]];
      if (key === "grond") return row[3].map(function (g) { return meta.gronden[g][1] + " " + meta.gronden[g][2]; });
      return row[4].map(function (s) { return meta.onderwerpen[s]; });
    }
    var parsed = parseQuery(query);
    var anyQuery = parsed.words.length + parsed.codes.length > 0;
    // Per word: the decisions it finds (decision index, and the text of their documents at a quarter
    // weight) and the documents it finds ("n/f": title as page 0, or a page of the text).
    var jobs = parsed.words.map(function (term) {
      return Promise.all([
        searchShard("b", meta, term),
        searchShard("t", meta, term)
      ]).then(function (found) {
        var hit = {}, docs = {};
        found[0].forEach(function (r) {
          var n = idIndex.get(r.ref);
          if (n !== undefined) hit[n] = (hit[n] || 0) + r.score;
        });
        found[1].forEach(function (r) {
          var parts = r.ref.split("/"), n = idIndex.get(parts[0]);  // id/file/page/date (base 36 days, or empty)
          if (n === undefined) return;
          hit[n] = (hit[n] || 0) + r.score / 4;
          var key = n + "/" + parts[1], page = +parts[2];
          var doc = docs[key] || (docs[key] = { n: n, f: +parts[1], score: 0, page: 1, pageScore: -1, day: parts[3] ? parseInt(parts[3], 36) : null });
          doc.score += r.score;
          if (page > 0 && r.score > doc.pageScore) { doc.page = page; doc.pageScore = r.score; }
        });
        return { hit: hit, docs: docs };
      });
    });
    // Terms with digits: a ground code, a year, or (part of) a kenmerk, looked up in the kenmerk field.
    parsed.codes.forEach(function (code) {
      var ground = meta.gronden.findIndex(function (g) { return compact(g[1]) === code; });
      if (ground >= 0) {
        var hit = {};
        var bit = Math.pow(2, ground);  // a mask may pass 32 bits: no bitwise operators
        for (var n = 0; n < count; n++) if (Math.floor(meta.grond[n] / bit) % 2) hit[n] = 1;
        jobs.push(Promise.resolve({ hit: hit, docs: null }));
      } else if (/^(19|20)\d\d$/.test(code)) {
        var years = {};
        for (var k = 0; k < count; k++) if (String(row(k)[0]) === code) years[k] = 1;
        jobs.push(searchShard("b", meta, code).then(function (found) {
          found.forEach(function (r) { if (idIndex.has(r.ref)) years[idIndex.get(r.ref)] = 5; });
          return { hit: years, docs: null };
        }));
      } else {
        jobs.push(searchShard("b", meta, code).then(function (found) {
          var hit = {};
          found.forEach(function (r) { if (idIndex.has(r.ref)) hit[idIndex.get(r.ref)] = 5 + r.score; });
          return { hit: hit, docs: null };
        }));
      }
    });
    return Promise.all(jobs).then(function (hits) {
      mark("woo-search:index");
      // A very common word keeps only its best postings in the index: it only adds to the score when
      // other words are required; alone it is required (and the count is a lower bound).
      var required = parsed.words.filter(function (w) { return !capped[w]; }).length + parsed.codes.length;
      var optional = parsed.words.map(function (w) { return capped[w] && required > 0; });
      var groups = {};
      for (var n = 0; n < count; n++) {
        var ok = true, score = 0;
        for (var h = 0; h < hits.length; h++) {
          if (!(n in hits[h].hit)) {
            if (optional[h]) continue;
            ok = false; break;
          }
          score += hits[h].hit[n];
        }
        if (ok) groups[n] = { n: n, own: score, docs: [] };
      }
      // Documents: every required word in the document (its title or any of its pages).
      if (parsed.words.length) {
        var keys = {};
        hits.forEach(function (job) { if (job.docs) Object.keys(job.docs).forEach(function (k) { keys[k] = true; }); });
        Object.keys(keys).forEach(function (key) {
          var doc = null, score = 0;
          for (var h = 0; h < hits.length; h++) {
            var job = hits[h], found = job.docs ? job.docs[key] : null;
            if (job.docs === null) {  // a code: the document's decision must match it
              if (!(+key.split("/")[0] in job.hit)) return;
              continue;
            }
            if (!found) {
              if (optional[h]) continue;
              return;
            }
            score += found.score;
            if (!doc || found.pageScore > doc.pageScore) doc = { n: found.n, f: found.f, page: found.page, pageScore: found.pageScore, day: found.day };
          }
          if (!doc || !docDayPasses(doc.day)) return;
          doc.score = score;
          var group = groups[doc.n] || (groups[doc.n] = { n: doc.n, own: null, docs: [] });
          group.docs.push(doc);
        });
      }
      var matches = [];
      Object.keys(groups).forEach(function (n) {
        var g = groups[n];
        if (docFilter && !g.docs.length) return;  // the document date filter keeps documents only
        g.docs.sort(function (a, b) { return (b.score - a.score) || (a.f - b.f); });
        g.score = Math.max(g.own || 0, g.docs.length ? g.docs[0].score : 0);
        matches.push(g);
      });
      var bounded = parsed.words.some(function (w, i) { return capped[w] && !optional[i]; });
      render(meta, row, matches, parsed, anyQuery, facetValues, bounded);
    });
  }).catch(function () {
    status.textContent = "Het zoeken is op dit moment niet beschikbaar. Bekijk het overzicht van alle besluiten.";
    loadTheme();
  });

  // Format 7: a decision's display data is in its first document file, d-<id>-0.json ({"besluit": [...],
  // "documenten": [...]}, the first documentenPerBestand documents; d-<id>-N.json the next ones): a result
  // costs one request, and no other decision's data (format 6 had a c- chunk of several decisions besides).
  function decisionName(meta, n) { return "d-" + meta.id[n] + "-0.json"; }
  function documentsName(meta, n, f) { return "d-" + meta.id[n] + "-" + Math.floor(f / meta.documentenPerBestand) + ".json"; }

  function render(meta, row, matches, parsed, anyQuery, facetValues, bounded) {
    var chosen = {};
    FACETS.forEach(function (f) { chosen[f[0]] = params.getAll(f[0]); });
    function passes(m, except) {
      return FACETS.every(function (f) {
        var key = f[0];
        if (key === except || !chosen[key].length) return true;
        var values = facetValues(key, row(m.n));
        return chosen[key].some(function (v) { return values.indexOf(v) >= 0; });
      });
    }
    // The date range (decision date) narrows the matches before facets are counted.
    if (fromDay !== null || toDay !== null) matches = matches.filter(function (m) {
      var day = row(m.n)[5];
      return (fromDay === null || day >= fromDay) && (toDay === null || day <= toDay);
    });
    var results = matches.filter(function (m) { return passes(m, null); });
    // Best first. By relevance no row is needed (a very common word matches most decisions: making a row for each
    // took a slow phone tens of milliseconds at 10,000 decisions before the first result's file was requested).
    var column = sort === "besluitdatum" ? 5 : sort === "publicatiedatum" ? 6 : -1;
    var order = column < 0 ? function (a, b) { return (b.score - a.score) || (a.n - b.n); } : function (a, b) {
      return (row(b.n)[column] - row(a.n)[column]) || (a.n - b.n);
    };
    // The first result's files are requested before the others are sorted (the same order: the best by the same
    // comparison, ties by position, so it is the one the sort puts first).
    var top = null;
    for (var t = 0; t < results.length; t++) if (!top || order(results[t], top) < 0) top = results[t];
    if (top) filesOf(top).catch(function () {});  // a failure shows where the result would be (more())
    results.sort(order);
    // Facets: counts (of decisions) under the other chosen filters, as links that add or remove a filter.
    // Counted while the files of the first results are on their way (after more() has asked for them).
    function showFacets() {
      var anyChosen = FACETS.some(function (f) { return chosen[f[0]].length; }) || fromDay !== null || toDay !== null || docFilter;
      facetBox.textContent = "";
      if (anyChosen) {
        var clear = { van: null, tot: null, docvan: null, doctot: null };
        FACETS.forEach(function (f) { clear[f[0]] = null; });
        facetBox.appendChild(el("p", {}, el("a", { href: url(clear) }, "Alle filters wissen")));
      }
      FACETS.forEach(function (f) {
        var counts = Object.create(null);  // keyed by subjects and organisations: "constructor" and "__proto__" count like any other
        matches.forEach(function (m) {
          if (!passes(m, f[0])) return;
          facetValues(f[0], row(m.n)).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        var values = Object.keys(counts).sort(function (a, b) { return f[0] === "jaar" ? b.localeCompare(a) : dutchOrder(a, b); });
        if (!values.length) return;
        var ul = el("ul", {});
        values.forEach(function (v) {
          var on = chosen[f[0]].indexOf(v) >= 0;
          var a = el("a", { href: toggled(f[0], v) }, el("span", { className: "woo-sr" }, on ? "Filter uitzetten: " : "Filteren op "), v);
          if (on) { a.setAttribute("aria-current", "true"); a.className = "woo-facet-on"; }
          ul.appendChild(el("li", {}, a, " ", el("span", { className: "woo-muted" }, "(" + counts[v] + ")")));
        });
        facetBox.appendChild(el("section", {}, el("h3", {}, f[1]), ul));
      });
    }
    var label = anyQuery ? " voor \u201c" + query + "\u201d" : "";
    list.textContent = "";
    if (docFilter && !parsed.words.length) {
      status.textContent = "Vul een zoekwoord in: de documentdatum filtert de documenten waarin de woorden staan.";
      showFacets();
      window.wooSearchDone = performance.now();
      loadThemeSoon();
      return;
    }
    if (!results.length) {
      status.textContent = "Geen besluiten gevonden" + label + ".";
      document.getElementById("woo-search-help").hidden = false;
      showFacets();
      window.wooSearchDone = performance.now();
      loadThemeSoon();
      return;
    }
    var documentCount = results.reduce(function (sum, m) { return sum + m.docs.length; }, 0);
    // A very common word keeps only its best pages in the index: then the counts are a lower bound.
    status.textContent = (bounded ? "Ten minste " : "") + results.length + (results.length === 1 ? " besluit" : " besluiten") +
      (documentCount ? " en " + documentCount + (documentCount === 1 ? " document" : " documenten") : "") +
      " gevonden" + label + (bounded ? " (een veelvoorkomend woord: alleen de best passende documenten zijn doorzocht)" : "") + ".";
    var shownCount = 0;
    function more() {
      var batch = results.slice(shownCount, shownCount + PAGE);
      shownCount += batch.length;
      // The first result's files are requested first, by themselves; the others once the first result is in
      // the page (requesting ten files took a slow phone tens of milliseconds, which the first file's response
      // waited behind). A result is shown as soon as its own files (and those of the results above it) are
      // there, not after the slowest of the batch.
      var waiting = [], releaseRest;
      var restRequested = new Promise(function (resolve) { releaseRest = resolve; });
      function requestRest() {
        for (var i = waiting.length; i < batch.length; i++) waiting.push(filesOf(batch[i]));
        releaseRest();
      }
      if (batch.length) waiting.push(filesOf(batch[0]));
      var shown = batch.reduce(function (chain, m, i) {
        return chain.then(function () { return i ? restRequested.then(function () { return waiting[i]; }) : waiting[0]; }).then(function (f) {
          if (!window.wooSearchDone) mark("woo-search:display");
          list.appendChild(item(f, m));
          window.wooSearchDone = window.wooSearchDone || performance.now();
          if (i === 0) afterPaint(requestRest);
          afterFirst();
        });
      }, Promise.resolve());
      return shown.then(function () {
        var button = document.getElementById("woo-more");
        if (shownCount < results.length) {
          if (!button) {
            button = el("button", { id: "woo-more", type: "button", className: "woo-more" });
            button.addEventListener("click", function () {
              var first = list.children.length;
              more().then(function () { var next = list.children[first]; if (next) next.querySelector("a").focus(); });
            });
            list.parentNode.insertBefore(button, list.nextSibling);
          }
          button.textContent = "Meer besluiten (" + (results.length - shownCount) + " over)";
        } else if (button) {
          button.remove();
        }
      });
    }
    function filesOf(m) {  // a result's files: its decision's row and those of the documents shown first under it
      var names = [decisionName(meta, m.n)];
      m.docs.slice(0, FIRST_DOCS).forEach(function (d) {
        var name = documentsName(meta, m.n, d.f);
        if (names.indexOf(name) < 0) names.push(name);
      });
      return loadAll(names);
    }
    function loadAll(names) {
      return Promise.all(names.map(function (name) { return load(name).then(function (data) { return [name, data]; }); }))
        .then(function (pairs) { var out = {}; pairs.forEach(function (p) { out[p[0]] = p[1]; }); return out; });
    }
    function documentItem(files, m, d) {
      var info = files[documentsName(meta, m.n, d.f)].documenten[d.f % meta.documentenPerBestand];  // [title, pdf, page, assessment, day]
      var pdf = el("a", { href: siteRoot + info[1] + "#page=" + d.page }, "pagina " + d.page, el("span", { className: "woo-sr" }, " van " + info[0]), " in de PDF");
      var about = [info[3], info[4] === null || info[4] === undefined ? "" : longDay(info[4])].filter(Boolean).join(" · ");
      // the document's own page opens at the page of the PDF where the words are (its text has id="pagina-N")
      var page = info[2] ? info[2] + (d.pageScore >= 0 ? "#pagina-" + d.page : "") : info[1];
      return el("li", {}, el("a", { href: siteRoot + page }, highlight(info[0], parsed.words)),
        about ? " " : "", about ? el("span", { className: "woo-muted" }, "(" + about + ")") : "", ", ", pdf);
    }
    function item(files, m) {
      var info = files[decisionName(meta, m.n)].besluit, r = row(m.n);  // [title, kenmerk, url, summary, files]
      var li = el("li", {},
        el("h2", { className: "woo-result-title" }, el("a", { href: siteRoot + info[2] }, highlight(info[0], parsed.words))),
        el("p", { className: "woo-muted" }, el("span", { className: "woo-type" }, meta.soorten[r[7]]),
          " · Kenmerk " + info[1] + " · " + meta.organisaties[r[1]] + " · " + (r[2] < 0 ? "van " : "besluit van ") + longDay(r[5]) +
          (r[2] < 0 ? "" : " · " + meta.uitkomsten[r[2]])),
        el("p", {}, highlight(info[3], parsed.words)));
      if (m.docs.length) {
        // The documents where the words occur, under their decision: the document's own page (with
        // its assessment and date) and the PDF at the page where the words are.
        var headingId = "woo-found-" + meta.id[m.n];
        var ul = el("ul", { className: "woo-found", "aria-labelledby": headingId });
        li.appendChild(el("p", { className: "woo-found-title", id: headingId },
          "Gevonden in " + m.docs.length + (m.docs.length === 1 ? " document" : " documenten") + ":"));
        li.appendChild(ul);
        var shown = 0;
        var showDocs = function (count) {
          var batch = m.docs.slice(shown, shown + count);
          var names = {};
          batch.forEach(function (d) { names[documentsName(meta, m.n, d.f)] = true; });
          return loadAll(Object.keys(names)).then(function (docFiles) {
            var firstNew = null;
            batch.forEach(function (d) {
              var node = documentItem(docFiles, m, d);
              firstNew = firstNew || node;
              ul.appendChild(node);
            });
            shown += batch.length;
            return firstNew;
          });
        };
        var first = m.docs.slice(0, FIRST_DOCS);
        first.forEach(function (d) { ul.appendChild(documentItem(files, m, d)); });
        shown = first.length;
        if (m.docs.length > shown) {
          var button = el("button", { type: "button", className: "woo-more woo-more-docs" });
          var setLabel = function () {
            button.textContent = "Meer documenten uit dit besluit (" + (m.docs.length - shown) + " over)";
          };
          setLabel();
          button.addEventListener("click", function () {
            showDocs(MORE_DOCS).then(function (firstNew) {
              if (shown >= m.docs.length) button.remove(); else setLabel();
              if (firstNew) firstNew.querySelector("a").focus();
            });
          });
          li.appendChild(button);
        }
      }
      return li;
    }
    // The facets (counted over every match, a list per facet) and the theme wait until the first result is
    // shown and painted: on a slow phone counting and laying them out took about 100 ms that the first result's
    // files waited behind. The filters are beside the results (below them on a narrow screen) in a column
    // of their own, so they do not move the results when they appear; a failed result file shows them too.
    var facetsShown = false;
    function afterFirst() {
      if (facetsShown) return;
      facetsShown = true;
      afterPaint(function () { showFacets(); loadTheme(); });
    }
    more().catch(afterFirst);
  }
})();
