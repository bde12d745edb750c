"use strict";
(function () {
  var PAGE = 100;
  var q = function (s, r) { return (r || document).querySelector(s); };
  var qa = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };

  // A filterable table keeps every row in memory and shows at most `limit`
  // of the rows that match: filtering scans all rows (their text is
  // lower-cased once) but the browser lays out only what is shown, so a
  // 20,000-row table filters in milliseconds. "Show more" raises the limit;
  // printing shows every match.
  function Table(id) {
    var t = document.getElementById(id);
    if (!t) return null;
    this.id = id;
    this.body = t.tBodies[0];
    this.rows = Array.prototype.slice.call(this.body.rows);
    this.text = new Array(this.rows.length);
    this.byID = {};
    for (var i = 0; i < this.rows.length; i++) {
      this.text[i] = this.rows[i].textContent.toLowerCase();
      if (this.rows[i].id) this.byID[this.rows[i].id] = i;
    }
    this.matches = null;
    this.shown = this.rows.length;
    this.limit = PAGE;
    this.count = q('[data-count="' + id + '"]');
    this.more = q('[data-more="' + id + '"]');
    this.extra = null; // {attr, value, label}
    var self = this;
    qa('[data-filter="' + id + '"]').forEach(function (el) {
      el.addEventListener(el.type === "search" ? "input" : "change", function () { self.limit = PAGE; self.apply(); });
    });
    if (this.more) this.more.addEventListener("click", function () { self.limit += 4 * PAGE; self.render(); });
    this.apply();
  }
  Table.prototype.apply = function () {
    var terms = [], attrs = [];
    qa('[data-filter="' + this.id + '"]').forEach(function (el) {
      if (el.type === "search") {
        var v = el.value.trim().toLowerCase();
        if (v) terms = v.split(/\s+/);
      } else if (el.type === "checkbox") {
        if (el.checked) attrs.push([el.getAttribute("data-attr"), el.value, false]);
      } else if (el.value) {
        attrs.push([el.getAttribute("data-attr"), el.value, false]);
      }
    });
    if (this.extra) attrs.push([this.extra.attr, this.extra.value, true]);
    var rows = this.rows, text = this.text, m = [], cols = [], j;
    for (j = 0; j < attrs.length; j++) cols.push(this.column(attrs[j][0]));
    for (var i = 0; i < rows.length; i++) {
      var ok = true;
      for (j = 0; ok && j < attrs.length; j++) {
        var have = cols[j][i];
        ok = attrs[j][2] ? (" " + have + " ").indexOf(" " + attrs[j][1] + " ") >= 0 : have === attrs[j][1];
      }
      for (j = 0; ok && j < terms.length; j++) ok = text[i].indexOf(terms[j]) >= 0;
      if (ok) m.push(i);
    }
    this.matches = m;
    this.shown = m.length;
    var chip = q('[data-chip="' + this.id + '"]');
    if (chip) {
      chip.hidden = !this.extra;
      if (this.extra) q("span", chip).textContent = this.extra.label;
    }
    this.render();
    return m.length;
  };
  // column reads one attribute of every row once, and keeps it.
  Table.prototype.column = function (attr) {
    this.cols = this.cols || {};
    var c = this.cols[attr];
    if (!c) {
      c = new Array(this.rows.length);
      for (var i = 0; i < this.rows.length; i++) c[i] = this.rows[i].getAttribute(attr) || "";
      this.cols[attr] = c;
    }
    return c;
  };
  Table.prototype.render = function (all) {
    var m = this.matches, n = all ? m.length : Math.min(m.length, this.limit);
    var frag = document.createDocumentFragment();
    for (var i = 0; i < n; i++) frag.appendChild(this.rows[m[i]]);
    this.body.replaceChildren(frag);
    if (this.count) this.count.textContent = (n < m.length ? "first " + n + " of " : "") + m.length + " of " + this.rows.length;
    if (this.more) this.more.hidden = n >= m.length;
  };
  Table.prototype.only = function (attr, value, label) {
    this.extra = value ? { attr: attr, value: value, label: label } : null;
    this.limit = PAGE;
    return this.apply();
  };
  Table.prototype.clear = function () {
    qa('[data-filter="' + this.id + '"]').forEach(function (el) {
      if (el.type === "checkbox") el.checked = false; else el.value = "";
    });
  };

  var tables = {};
  ["controls", "findings", "evidence", "poam", "components", "crypto", "cmmc"].forEach(function (id) {
    // The CMMC table exists only when the run had a CMMC scope.
    if (!document.getElementById(id)) return;
    var t = new Table(id);
    if (t) tables[id] = t;
  });
  window.pedigree = { tables: tables };

  qa("[data-chip] button").forEach(function (b) {
    b.addEventListener("click", function () { tables[b.parentNode.getAttribute("data-chip")].only(); });
  });

  // Drill-down: control -> its findings.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.drill") : null;
    if (!a) return;
    ev.preventDefault();
    var t = tables[a.getAttribute("data-to")];
    if (!t) return;
    t.clear();
    t.only(a.getAttribute("data-attr"), a.getAttribute("data-value"), a.getAttribute("data-label"));
    var sec = document.getElementById("sec-" + t.id);
    if (sec) sec.scrollIntoView();
  });

  // A link to one row (#ev-..., #ctl-..., #fd-...) shows that row, also when
  // filters or paging hide it.
  var lit = null;
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    for (var k in tables) {
      var t = tables[k];
      if (!(id in t.byID)) continue;
      var row = t.rows[t.byID[id]];
      if (!row.isConnected) {
        t.clear();
        t.only("id", id, "only " + id.replace(/^(ev|fd|ctl)-/, ""));
      }
      if (lit) lit.classList.remove("hl");
      row.classList.add("hl");
      lit = row;
      row.scrollIntoView();
      return;
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();

  // Print every match: open collapsed sections and lift the paging.
  window.addEventListener("beforeprint", function () {
    qa("details").forEach(function (d) { d.open = true; });
    for (var k in tables) tables[k].render(true);
  });
  window.addEventListener("afterprint", function () {
    for (var k in tables) tables[k].render();
  });
})();
