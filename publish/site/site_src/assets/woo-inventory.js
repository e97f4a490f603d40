/* The inventory list on a decision page: filter (text, assessment, ground), sort and page through
   every row in the browser, from inventaris.json beside the page. Without JavaScript the page shows
   the first rows and links to the static pages that follow (inventaris/2/, ...).
   No inline script or style (the site's Content-Security-Policy forbids both): rows are built with
   DOM methods, every value is set as text. */
(function () {
  "use strict";
  var box = document.getElementById("woo-inventory");
  if (!box || !window.fetch) return;
  var form = document.getElementById("woo-inv-form");
  var input = document.getElementById("woo-inv-q");
  var assessmentSelect = document.getElementById("woo-inv-a");
  var groundSelect = document.getElementById("woo-inv-g");
  var sortSelect = document.getElementById("woo-inv-s");
  var tbody = document.getElementById("woo-inv-rows");
  var status = document.getElementById("woo-inv-status");
  var pagerBox = document.getElementById("woo-inv-pager");
  var caption = box.querySelector("caption");
  var pageSize = parseInt(box.getAttribute("data-page-size"), 10) || 100;
  var kenmerk = box.getAttribute("data-kenmerk") || "";
  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december"];
  var data = null, hay = [], orders = {}, matches = [], page = 1;

  function dutchDate(iso) {  // "29 april 2024", as every page writes dates
    if (!iso) return "";
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + MONTHS[parseInt(p[1], 10) - 1] + " " + p[0];
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", href);
    return a;
  }
  function capitalize(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }

  function order(key) {  // row numbers in the chosen order, computed once per order from plain keys
    if (orders[key]) return orders[key];
    var rows = data.rows, n = rows.length, idx = new Array(n), keys = new Array(n), i;
    for (i = 0; i < n; i++) idx[i] = i;
    if (key === "datum-oud" || key === "datum-nieuw") {
      var sign = key === "datum-oud" ? 1 : -1;
      for (i = 0; i < n; i++) keys[i] = rows[i][3] ? sign * parseInt(rows[i][3].replace(/-/g, ""), 10) : Infinity;  // undated last
      idx.sort(function (a, b) { return (keys[a] - keys[b]) || a - b; });
    } else if (key === "titel") {
      // Case and accents do not count ("Ábc" sorts with "abc"); a simple key, compared as a string.
      for (i = 0; i < n; i++) keys[i] = rows[i][1].toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      idx.sort(function (a, b) { return keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b; });
    }
    orders[key] = idx;
    return idx;
  }

  // Filters the rows and returns how many match; exposed for the benchmark (window.wooInventory).
  function filter(query, assessment, ground, sort) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    var groundIndex = -1, i, j, k;
    if (ground) {
      for (i = 0; i < data.grounds.length; i++) if (data.grounds[i][0] === ground) groundIndex = i;
    }
    var idx = order(sort || "nr"), rows = data.rows, out = [];
    for (k = 0; k < idx.length; k++) {
      i = idx[k];
      var r = rows[i];
      if (assessment && r[4] !== assessment) continue;
      if (ground && r[5].indexOf(groundIndex) < 0) continue;
      var ok = true;
      for (j = 0; j < terms.length; j++) if (hay[i].indexOf(terms[j]) < 0) { ok = false; break; }
      if (ok) out.push(i);
    }
    matches = out;
    return out.length;
  }

  function row(i) {
    var r = data.rows[i], tr = el("tr"), td;
    tr.id = "document-" + r[6];
    tr.appendChild(cell("Nr.", r[0]));
    td = cell("Document");
    td.appendChild(link("document/" + r[6] + "/", r[1]));
    if (r[2]) { td.appendChild(el("br")); td.appendChild(el("span", r[2], "woo-muted")); }
    tr.appendChild(td);
    td = cell("Datum");
    if (r[3]) { var t = el("time", dutchDate(r[3])); t.setAttribute("datetime", r[3]); td.appendChild(t); }
    tr.appendChild(td);
    tr.appendChild(cell("Beoordeling", capitalize(r[4])));
    td = cell("Weigeringsgronden");
    r[5].forEach(function (g, n) {
      var ground = data.grounds[g];
      if (n) td.appendChild(el("br"));
      td.appendChild(link(ground[3], ground[0]));
      td.appendChild(document.createTextNode(" "));
      td.appendChild(el("span", ground[2], "woo-muted"));
    });
    tr.appendChild(td);
    td = cell("Bestand");
    if (r[7] === "d") {
      var a = link("document-" + r[6] + ".pdf", "Document " + r[0] + " downloaden");
      a.appendChild(el("span", " (" + r[1] + ")", "woo-sr"));
      td.appendChild(a);
      td.appendChild(document.createTextNode(" "));
      td.appendChild(el("span", "(" + r[8] + ")", "woo-muted"));
    } else if (r[7] === "l" && /^https?:\/\//i.test(r[8])) {
      var v = link(r[8], "Vindplaats");
      v.setAttribute("rel", "nofollow noopener");
      v.appendChild(el("span", " van document " + r[0], "woo-sr"));
      td.appendChild(v);
    } else {
      td.textContent = r[8];
    }
    tr.appendChild(td);
    return tr;
  }
  function cell(label, text) {
    var td = el("td", text);
    td.setAttribute("data-label", label);
    return td;
  }

  function pageButton(text, target, label) {
    var b = el("button", text, "woo-more");
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    b.addEventListener("click", function () { page = target; render(); caption.scrollIntoView({ block: "start" }); });
    return b;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(matches.length / pageSize));
    if (page > pages) page = pages;
    var start = (page - 1) * pageSize, end = Math.min(matches.length, start + pageSize);
    var frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) frag.appendChild(row(matches[k]));
    tbody.textContent = "";
    tbody.appendChild(frag);
    var total = data.rows.length;
    var text = matches.length === total ? total + (total === 1 ? " document" : " documenten")
      : matches.length + " van " + total + " documenten gevonden";
    if (matches.length === 0) text = "Geen documenten gevonden. Gebruik minder of andere woorden, of zet een filter uit.";
    else if (pages > 1) text += ". Documenten " + (start + 1) + " tot en met " + end + " (pagina " + page + " van " + pages + ")";
    status.textContent = text + (matches.length ? "." : "");
    caption.textContent = "Inventarislijst bij besluit " + kenmerk + (pages > 1 ? " (pagina " + page + " van " + pages + ")" : "");
    pagerBox.textContent = "";
    if (pages > 1) {
      var nav = el("nav", null, "woo-pager");
      nav.setAttribute("aria-label", "Paginering inventarislijst");
      var ul = el("ul");
      var items = [];
      if (page > 1) items.push(pageButton("Vorige pagina", page - 1));
      items.push(el("span", "Pagina " + page + " van " + pages));
      if (page < pages) items.push(pageButton("Volgende pagina", page + 1));
      items.forEach(function (item) { var li = el("li"); li.appendChild(item); ul.appendChild(li); });
      nav.appendChild(ul);
      pagerBox.appendChild(nav);
    }
  }

  function update() {
    var t0 = performance.now();
    filter(input.value, assessmentSelect.value, groundSelect.value, sortSelect.value);
    page = 1;
    render();
    window.wooInventory.lastMs = performance.now() - t0;
  }

  window.wooInventory = { filter: filter, update: update, lastMs: null, ready: false,
                          count: function () { return matches.length; } };

  fetch(box.getAttribute("data-json"), { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (json) {
    data = json;
    hay = data.rows.map(function (r) { return (r[0] + " " + r[1] + " " + r[2]).toLowerCase(); });
    matches = data.rows.map(function (r, i) { return i; });
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    input.addEventListener("input", update);
    [assessmentSelect, groundSelect, sortSelect].forEach(function (s) { s.addEventListener("change", update); });
    window.wooInventory.ready = true;
  }).catch(function () { /* the static list and its pages stay as they are */ });
})();
