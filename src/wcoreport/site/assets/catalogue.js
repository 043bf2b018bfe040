/* The case-study catalogue: filter by technology, region, year and status, and by words of the
 * titles, Members and summaries (each row's data-search, folded as the query is), sort by any column.
 * The table is complete without this script; the script only shows the (generated, translated)
 * filter form, hides rows and reorders them. No library, no request. */
(function () {
  "use strict";

  function fold(text) {  // as catalogue.py's searchable(): no case, no accents, single spaces
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).join(" ").trim();
  }

  function setup(wrapper, form) {
    var table = wrapper.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var lang = document.documentElement.lang || "en";

    function apply() {
      var wanted = {};
      form.querySelectorAll("select[data-filter]").forEach(function (select) {
        wanted[select.getAttribute("data-filter")] = select.value;
      });
      var box = form.querySelector("input[data-search]");
      var words = fold(box ? box.value : "").split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var haystack = row.getAttribute("data-search") || "";
        var ok = words.every(function (word) { return haystack.indexOf(word) >= 0; }) &&
                 (!wanted.status || row.getAttribute("data-status") === wanted.status) &&
                 (!wanted.technologies ||
                  row.getAttribute("data-technologies").split(" ").indexOf(wanted.technologies) >= 0) &&
                 (!wanted.region || row.getAttribute("data-region") === wanted.region) &&
                 (!wanted.year || row.getAttribute("data-year") === wanted.year);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      var output = form.querySelector(".wco-filter-count");
      if (output) {
        output.textContent = form.getAttribute("data-shown")
          .replace("{shown}", shown).replace("{total}", rows.length);
      }
    }

    function sortBy(index, kind, header) {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var collator = new Intl.Collator(lang, { sensitivity: "base", numeric: true });
      var sorted = rows.slice().sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        var order = kind === "number" ? Number(x) - Number(y) : collator.compare(x, y);
        return ascending ? order : -order;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    }

    if (form) {
      form.hidden = false;
      form.addEventListener("change", apply);
      form.addEventListener("input", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      apply();
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var kind = header.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "wco-sort";
      button.title = wrapper.getAttribute("data-sort-label") || "";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(index, kind, header); });
    });
  }

  function init() {
    // Material wraps tables in its own divs: pair each table with its form by order instead.
    var forms = document.querySelectorAll("form.wco-filters");
    document.querySelectorAll("div.wco-catalogue").forEach(function (wrapper, i) {
      setup(wrapper, forms[i]);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
