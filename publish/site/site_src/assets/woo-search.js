/* Search for woo-publicatie: reads ?q= and filters from the URL, loads only the index shards of the
   query's terms (lunr 2.3 indexes with lunr-languages' Dutch pipeline) and renders the results.
   Without JavaScript the page explains how to browse instead. */
(function () {
  "use strict";
  var root = document.getElementById("woo-search");
  if (!root || !window.lunr || !window.lunr.wooStem) return;
  var base = root.getAttribute("data-index");
  var siteRoot = root.getAttribute("data-root");
  var status = document.getElementById("woo-search-status");
  var list = document.getElementById("woo-search-results");
  var facetBox = document.getElementById("woo-search-facets");
  var input = document.getElementById("woo-q");
  var sortSelect = document.getElementById("woo-sort");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var sort = params.get("sorteer") || "relevantie";
  var FACETS = [["soort", "Soort"], ["jaar", "Jaar"], ["organisatie", "Organisatie"], ["uitkomst", "Uitkomst"], ["grond", "Weigeringsgrond"], ["onderwerp", "Onderwerp"]];
  var PAGE = 10;
  var cache = {};
  var capped = {};  // terms whose postings were cut to the best ones (listed in their shard)
  load("meta.json");  // start at once, in parallel with the rest of the page
  input.value = query;
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
  function fnv(term) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function stem(word) {
    var token = new lunr.Token(word.toLowerCase(), {});
    token = lunr.nl.trimmer(token);
    if (!token || !token.toString()) return null;
    if (lunr.nl.stopWordFilter(token) === undefined) return null;
    return lunr.wooStem(token.toString());
  }
  function compact(s) { return String(s).toLowerCase().replace(/[^0-9a-z]/g, ""); }
  function parseQuery(q) {
    var words = [], codes = [];
    q.split(/\s+/).forEach(function (part) {
      if (!part) return;
      if (/\d/.test(part)) { codes.push(compact(part)); return; }
      part.split(/-+/).forEach(function (w) { var s = stem(w); if (s) words.push(s); });
    });
    return { words: words.filter(function (w, i, a) { return a.indexOf(w) === i; }), codes: codes };
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }
  function highlight(text, stems) {
    return escapeHtml(text).replace(/[A-Za-zÀ-ÿ]+/g, function (w) {
      var s = stem(w);
      return s && stems.indexOf(s) >= 0 ? "<mark>" + w + "</mark>" : w;
    });
  }
  var loaded = {};
  function searchShard(kind, count, term) {
    var name = kind + "-" + (fnv(term) % count) + ".json";
    return load(name).then(function (json) {
      (json.afgekapt || []).forEach(function (t) { capped[t] = true; });
      var idx = loaded[name] || (loaded[name] = lunr.Index.load(json));
      return idx.query(function (q) { q.term(term, { usePipeline: false }); });
    });
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
  var fromInput = document.getElementById("woo-van"), toInput = document.getElementById("woo-tot");
  if (fromInput && fromDay !== null) fromInput.value = params.get("van");
  if (toInput && toDay !== null) toInput.value = params.get("tot");
  function decode(meta) {
    // meta.json is columnar and delta-coded to stay small; rows are [year, org, outcome, grounds, subjects, day, published day].
    var rows = new Array(meta.aantal), day = 0, years = {};
    for (var n = 0; n < meta.aantal; n++) {
      day = n === 0 ? meta.datum[0] : day - meta.datum[n];
      var mask = meta.grond[n], grounds = [];
      for (var g = 0; mask > 0; g++, mask = Math.floor(mask / 2)) if (mask % 2) grounds.push(g);
      if (!(day in years)) years[day] = new Date(day * 86400000).getUTCFullYear();
      rows[n] = [years[day], meta.organisatie[n], meta.uitkomst[n], grounds, meta.onderwerp[n], day, day + meta.publicatie[n], meta.soort[n]];
    }
    return rows;
  }

  load("meta.json").then(function (meta) {
    var rows = decode(meta);
    function facetValues(key, row) {
      if (key === "jaar") return [String(row[0])];
      if (key === "organisatie") return [meta.organisaties[row[1]]];
      if (key === "soort") return [meta.soorten[row[7]]];
      if (key === "uitkomst") return row[2] < 0 ? [] : [meta.uitkomsten[row[2]]];
      if (key === "grond") return row[3].map(function (g) { return meta.gronden[g][1] + " " + meta.gronden[g][2]; });
      return row[4].map(function (s) { return meta.onderwerpen[s]; });
    }
    var parsed = parseQuery(query);
    var pages = {};
    var anyQuery = parsed.words.length + parsed.codes.length > 0;
    var optional = [];  // very common terms: their postings are cut, so they only add to the score
    var jobs = parsed.words.map(function (term, i) {
      return Promise.all([
        searchShard("b", meta.shards.besluiten, term),
        searchShard("t", meta.shards.tekst, term)
      ]).then(function (found) {
        var hit = {};
        found[0].forEach(function (r) { hit[r.ref] = (hit[r.ref] || 0) + r.score; });
        found[1].forEach(function (r) {
          var parts = r.ref.split("/"), d = parts[0];
          hit[d] = (hit[d] || 0) + r.score / 4;
          pages[d] = pages[d] || {};
          var key = parts[1];
          if (!pages[d][key] || pages[d][key].score < r.score) pages[d][key] = { page: +parts[2], score: r.score };
        });
        return hit;
      });
    });
    // Terms with digits: a ground code, a year, or (part of) a kenmerk, looked up in the kenmerk field.
    parsed.codes.forEach(function (code) {
      var ground = meta.gronden.findIndex(function (g) { return compact(g[1]) === code; });
      if (ground >= 0) {
        var hit = {};
        rows.forEach(function (row, n) { if (row[3].indexOf(ground) >= 0) hit[n] = 1; });
        jobs.push(Promise.resolve(hit));
      } else if (/^(19|20)\d\d$/.test(code)) {
        var years = {};
        rows.forEach(function (row, n) { if (String(row[0]) === code) years[n] = 1; });
        jobs.push(searchShard("b", meta.shards.besluiten, code).then(function (found) {
          found.forEach(function (r) { years[r.ref] = 5; });
          return years;
        }));
      } else {
        jobs.push(searchShard("b", meta.shards.besluiten, code).then(function (found) {
          var hit = {};
          found.forEach(function (r) { hit[r.ref] = 5 + r.score; });
          return hit;
        }));
      }
    });
    return Promise.all(jobs).then(function (hits) {
      var required = parsed.words.filter(function (w) { return !capped[w]; }).length + parsed.codes.length;
      parsed.words.forEach(function (w, i) { optional[i] = capped[w] && required > 0; });
      var matches = [];
      for (var n = 0; n < rows.length; n++) {
        var ok = true, score = 0;
        for (var h = 0; h < hits.length; h++) {
          if (!(n in hits[h])) {
            if (optional[h]) continue;
            ok = false; break;
          }
          score += hits[h][n];
        }
        if (ok) matches.push({ n: n, score: score });
      }
      render(meta, rows, matches, parsed, pages, anyQuery, facetValues, optional);
    });
  }).catch(function () {
    status.textContent = "Het zoeken is op dit moment niet beschikbaar. Bekijk het overzicht van alle besluiten.";
  });

  function render(meta, rows, matches, parsed, pages, anyQuery, facetValues, optional) {
    var chosen = {};
    FACETS.forEach(function (f) { chosen[f[0]] = params.getAll(f[0]); });
    function passes(m, except) {
      return FACETS.every(function (f) {
        var key = f[0];
        if (key === except || !chosen[key].length) return true;
        var values = facetValues(key, rows[m.n]);
        return chosen[key].some(function (v) { return values.indexOf(v) >= 0; });
      });
    }
    // The date range (decision date) narrows the matches before facets are counted.
    matches = matches.filter(function (m) {
      var day = rows[m.n][5];
      return (fromDay === null || day >= fromDay) && (toDay === null || day <= toDay);
    });
    var results = matches.filter(function (m) { return passes(m, null); });
    results.sort(function (a, b) {
      var ra = rows[a.n], rb = rows[b.n];
      if (sort === "besluitdatum") return (rb[5] - ra[5]) || (a.n - b.n);
      if (sort === "publicatiedatum") return (rb[6] - ra[6]) || (a.n - b.n);
      return (b.score - a.score) || (a.n - b.n);
    });
    // Facets: counts under the other chosen filters, as links that add or remove a filter.
    var html = "";
    var anyChosen = FACETS.some(function (f) { return chosen[f[0]].length; }) || fromDay !== null || toDay !== null;
    FACETS.forEach(function (f) {
      var counts = {};
      matches.forEach(function (m) {
        if (!passes(m, f[0])) return;
        facetValues(f[0], rows[m.n]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var values = Object.keys(counts).sort(function (a, b) { return f[0] === "jaar" ? b.localeCompare(a) : a.localeCompare(b, "nl"); });
      if (!values.length) return;
      html += '<section><h3>' + f[1] + '</h3><ul>';
      values.forEach(function (v) {
        var on = chosen[f[0]].indexOf(v) >= 0;
        html += '<li><a href="' + escapeHtml(toggled(f[0], v)) + '"' + (on ? ' aria-current="true" class="woo-facet-on"' : "") + '>' +
          (on ? '<span class="woo-sr">Filter uitzetten: </span>' : '<span class="woo-sr">Filteren op </span>') +
          escapeHtml(v) + '</a> <span class="woo-muted">(' + counts[v] + ')</span></li>';
      });
      html += "</ul></section>";
    });
    if (anyChosen) {
      var clear = { van: null, tot: null }; FACETS.forEach(function (f) { clear[f[0]] = null; });
      html = '<p><a href="' + escapeHtml(url(clear)) + '">Alle filters wissen</a></p>' + html;
    }
    facetBox.innerHTML = html;
    var label = anyQuery ? ' voor \u201c' + query + '\u201d' : "";
    if (!results.length) {
      status.textContent = "Geen besluiten gevonden" + label + ".";
      list.innerHTML = "";
      document.getElementById("woo-search-help").hidden = false;
      window.wooSearchDone = performance.now();
      return;
    }
    // A very common word keeps only its best pages in the index: then the count is a lower bound.
    var bounded = parsed.words.some(function (w, i) { return capped[w] && !optional[i]; });
    status.textContent = (bounded ? "Ten minste " : "") + results.length + (results.length === 1 ? " besluit" : " besluiten") +
      " gevonden" + label + (bounded ? " (een veelvoorkomend woord: alleen de best passende documenten zijn doorzocht)" : "") + ".";
    var shownCount = 0;
    function more() {
      var batch = results.slice(shownCount, shownCount + PAGE);
      shownCount += batch.length;
      var chunkNames = {};
      batch.forEach(function (m) { chunkNames[Math.floor(m.n / meta.chunk)] = true; });
      return Promise.all(Object.keys(chunkNames).map(function (c) {
        return load("c-" + c + ".json").then(function (data) { return [+c, data]; });
      })).then(function (loaded) {
        var chunks = {};
        loaded.forEach(function (pair) { chunks[pair[0]] = pair[1]; });
        list.insertAdjacentHTML("beforeend", batch.map(function (m) { return item(chunks, m); }).join(""));
        window.wooSearchDone = window.wooSearchDone || performance.now();
        var button = document.getElementById("woo-more");
        if (shownCount < results.length) {
          if (!button) {
            button = document.createElement("button");
            button.id = "woo-more";
            button.type = "button";
            button.className = "woo-more";
            button.addEventListener("click", function () {
              var first = list.children.length;
              more().then(function () { var next = list.children[first]; if (next) next.querySelector("a").focus(); });
            });
            list.parentNode.insertBefore(button, list.nextSibling);
          }
          button.textContent = "Meer resultaten (" + (results.length - shownCount) + " over)";
        } else if (button) {
          button.remove();
        }
      });
    }
    function item(chunks, m) {
      var info = chunks[Math.floor(m.n / meta.chunk)][m.n % meta.chunk], row = rows[m.n];
      var docs = Object.keys(pages[m.n] || {}).map(function (f) { return [+f, pages[m.n][f]]; })
        .sort(function (a, b) { return b[1].score - a[1].score; }).slice(0, 3);
      // The documents where the words occur, under their decision: the document's own page (with its
      // assessment) and the PDF at the page where the words are.
      var found = docs.length ? '<p class="woo-found-title">Gevonden in:</p><ul class="woo-found">' + docs.map(function (d) {
        var file = info[4][d[0]], pdf = escapeHtml(siteRoot + file[1]) + '#page=' + d[1].page;
        if (file[2]) {
          return '<li><a href="' + escapeHtml(siteRoot + file[2]) + '">' + highlight(file[0], parsed.words) + '</a>' +
            ' <span class="woo-muted">(' + escapeHtml(file[3]) + ')</span>, <a href="' + pdf + '">pagina ' + d[1].page +
            '<span class="woo-sr"> van ' + escapeHtml(file[0]) + '</span> in de PDF</a></li>';
        }
        return '<li><a href="' + pdf + '">' + escapeHtml(file[0]) + ', pagina ' + d[1].page + '</a></li>';
      }).join("") + "</ul>" : "";
      return '<li><h2 class="woo-result-title"><a href="' + escapeHtml(siteRoot + info[2]) + '">' + highlight(info[0], parsed.words) + '</a></h2>' +
        '<p class="woo-muted"><span class="woo-type">' + escapeHtml(meta.soorten[row[7]]) + '</span> · Kenmerk ' + escapeHtml(info[1]) + ' · ' +
        escapeHtml(meta.organisaties[row[1]]) + ' · ' + (row[2] < 0 ? 'van ' : 'besluit van ') +
        escapeHtml(longDay(row[5])) + (row[2] < 0 ? '' : ' · ' + escapeHtml(meta.uitkomsten[row[2]])) + '</p>' +
        '<p>' + highlight(info[3], parsed.words) + '</p>' + found + '</li>';
    }
    list.innerHTML = "";
    more();
  }
})();
