/* The self-assessment tools (site/assessment_pages.py): progress, the result per area with its
   chart, answers kept in this browser on request, export and import, print.

   The scoring rule comes from the page (JSON made by assessments/scoring.py, where it is
   written down): the same steps as scoring.area_results, with the same arithmetic. Nothing here
   makes a request of any kind: the answers never leave the browser. Every text shown comes from
   the page and is set as text (textContent), never as HTML. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function readJson(form, cls) {
    var node = form.parentNode.querySelector("script." + cls);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }

  /* scoring.round_half_up */
  function roundHalfUp(value, decimals) {
    var factor = Math.pow(10, decimals);
    return Math.floor(value * factor + 0.5) / factor;
  }

  /* scoring.area_results: answers is {question id: level id}. */
  function areaResults(rule, answers) {
    return rule.areas.map(function (area) {
      var total = 0, answered = 0;
      area.questions.forEach(function (q) {
        var level = answers[q.id];
        if (level !== undefined && Object.prototype.hasOwnProperty.call(q.levels, level)) {
          total += q.levels[level];
          answered += 1;
        }
      });
      if (!answered) {
        return { area: area.id, answered: 0, total: area.questions.length, score: null, band: null };
      }
      var score = roundHalfUp(100 * total / (answered * rule.max), rule.decimals);
      var band = rule.bands[0].id;
      rule.bands.forEach(function (b) { if (b.from <= score) { band = b.id; } });
      return { area: area.id, answered: answered, total: area.questions.length, score: score, band: band };
    });
  }

  /* scoring.weakest_first */
  function weakestFirst(results) {
    return results.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
      var an = a[0].score === null, bn = b[0].score === null;
      if (an !== bn) { return an ? 1 : -1; }
      var as = a[0].score || 0, bs = b[0].score || 0;
      return as !== bs ? as - bs : a[1] - b[1];
    }).map(function (pair) { return pair[0]; });
  }

  function setup(form) {
    var rule = readJson(form, "wco-assessment-rule");
    var text = readJson(form, "wco-assessment-text");
    if (!rule || !text) { return; }
    var lang = form.getAttribute("data-lang") || document.documentElement.lang || "en";
    var numbers = new Intl.NumberFormat(lang, { minimumFractionDigits: rule.decimals, maximumFractionDigits: rule.decimals });
    var storageKey = "wco-assessment:" + rule.tool;
    var section = form.parentNode.querySelector(".wco-assessment-result");
    var actions = form.querySelector(".wco-assessment-actions");
    var keep = form.querySelector("[data-keep]");
    var message = form.querySelector(".wco-assessment-message");
    var progress = form.querySelector("progress");
    var progressText = form.querySelector(".wco-progress-text");
    var questionCount = rule.areas.reduce(function (n, a) { return n + a.questions.length; }, 0);
    actions.hidden = false;

    function answers() {
      var out = {};
      rule.areas.forEach(function (area) {
        area.questions.forEach(function (q) {
          var checked = form.querySelector('input[type="radio"][name="' + CSS.escape(q.id) + '"]:checked');
          if (checked) { out[q.id] = checked.value; }
        });
      });
      return out;
    }

    function setAnswers(given) {
      var count = 0;
      rule.areas.forEach(function (area) {
        area.questions.forEach(function (q) {
          var radios = form.querySelectorAll('input[type="radio"][name="' + CSS.escape(q.id) + '"]');
          Array.prototype.forEach.call(radios, function (r) {
            r.checked = given[q.id] === r.value;
            if (r.checked) { count += 1; }
          });
        });
      });
      return count;
    }

    function drawChart(figure, ordered) {
      var old = figure.querySelector("svg");
      if (old) { figure.removeChild(old); }
      var scored = ordered.filter(function (r) { return r.score !== null; });
      // Each area on two lines, its name above its bar: the names stay readable on a phone.
      var rowHeight = 46, barWidth = 300, width = barWidth + 52;
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "0 0 " + width + " " + (rowHeight * scored.length + 4));
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", text.chart + ": " + scored.map(function (r) {
        return text.areas[r.area] + " " + numbers.format(r.score);
      }).join("; "));
      scored.forEach(function (r, i) {
        var y = i * rowHeight + 2;
        var label = document.createElementNS(SVG, "text");
        label.setAttribute("x", 0);
        label.setAttribute("y", y + 14);
        label.setAttribute("class", "wco-chart-label");
        label.textContent = text.areas[r.area];
        var track = document.createElementNS(SVG, "rect");
        track.setAttribute("x", 0);
        track.setAttribute("y", y + 20);
        track.setAttribute("width", barWidth);
        track.setAttribute("height", 18);
        track.setAttribute("class", "wco-chart-track");
        var bar = document.createElementNS(SVG, "rect");
        bar.setAttribute("x", 0);
        bar.setAttribute("y", y + 20);
        bar.setAttribute("width", Math.max(1, barWidth * r.score / 100));
        bar.setAttribute("height", 18);
        bar.setAttribute("class", "wco-chart-bar wco-band-" + r.band);
        bar.setAttribute("data-area", r.area);
        var value = document.createElementNS(SVG, "text");
        value.setAttribute("x", barWidth + 6);
        value.setAttribute("y", y + 34);
        value.setAttribute("class", "wco-chart-value");
        value.textContent = numbers.format(r.score);
        svg.appendChild(label);
        svg.appendChild(track);
        svg.appendChild(bar);
        svg.appendChild(value);
      });
      figure.appendChild(svg);
      figure.hidden = scored.length === 0;
    }

    function update() {
      var given = answers();
      var n = Object.keys(given).length;
      progress.value = n;
      progressText.textContent = fill(text.progress, { n: n, total: questionCount });
      var ordered = weakestFirst(areaResults(rule, given));
      var list = section.querySelector(".wco-result-areas");
      ordered.forEach(function (r) {
        var item = list.querySelector('.wco-result-area[data-area="' + CSS.escape(r.area) + '"]');
        var line = item.querySelector(".wco-result-score");
        var next = item.querySelector(".wco-result-next");
        if (r.score === null) {
          item.removeAttribute("data-score");
          item.removeAttribute("data-band");
          line.textContent = text.not_answered;
          next.hidden = true;
        } else {
          item.setAttribute("data-score", String(r.score));
          item.setAttribute("data-band", r.band);
          line.textContent = fill(text.score, { score: numbers.format(r.score), band: text.bands[r.band],
                                                n: r.answered, total: r.total });
          Array.prototype.forEach.call(next.querySelectorAll(".wco-next"), function (p) {
            p.hidden = p.getAttribute("data-band") !== r.band;
          });
          next.hidden = false;
        }
        list.appendChild(item);  // in the order of the results: the weakest first
      });
      section.querySelector(".wco-result-empty").hidden = n > 0;
      list.hidden = n === 0;
      drawChart(section.querySelector(".wco-result-chart"), ordered);
      if (keep.checked) { save(given); }
    }

    function save(given) {
      try { window.localStorage.setItem(storageKey, JSON.stringify({ tool: rule.tool, answers: given })); }
      catch (e) { /* storage refused (private mode): the answers stay in the page */ }
    }

    function forget() {
      try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
    }

    function validAnswers(data) {
      if (!data || typeof data !== "object" || data.tool !== rule.tool || !data.answers ||
          typeof data.answers !== "object") { return null; }
      var out = {};
      rule.areas.forEach(function (area) {
        area.questions.forEach(function (q) {
          var level = data.answers[q.id];
          if (typeof level === "string" && Object.prototype.hasOwnProperty.call(q.levels, level)) { out[q.id] = level; }
        });
      });
      return out;
    }

    try {
      var kept = validAnswers(JSON.parse(window.localStorage.getItem(storageKey) || "null"));
      if (kept) { setAnswers(kept); keep.checked = true; }
    } catch (e) { /* nothing kept, or not readable */ }

    form.addEventListener("change", function (event) {
      if (event.target === keep) {
        if (keep.checked) { save(answers()); } else { forget(); }
        return;
      }
      if (event.target.hasAttribute("data-import")) { return; }
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    form.querySelector('[data-action="export"]').addEventListener("click", function () {
      var data = { tool: rule.tool, lang: lang, exported: new Date().toISOString(), answers: answers() };
      var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = rule.tool + "-self-assessment.json";
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
    });

    var input = form.querySelector("[data-import]");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var given = null;
        try { given = validAnswers(JSON.parse(String(reader.result))); } catch (e) { given = null; }
        if (!given) {
          message.textContent = text.import_error;
        } else {
          var count = setAnswers(given);
          message.textContent = fill(text.imported, { n: count });
          update();
        }
        input.value = "";
      };
      reader.readAsText(file);
    });

    form.querySelector('[data-action="print"]').addEventListener("click", function () { window.print(); });
    form.querySelector('[data-action="clear"]').addEventListener("click", function () {
      setAnswers({});
      message.textContent = text.cleared;
      update();
    });

    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.wco-assessment"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
