// The student's page: turn a selection (mouse, touch or keyboard) into the
// answer form's phrase and exact character offsets, and reload when the
// teacher releases feedback. Article text is only ever read, never written.
(function () {
  "use strict";
  var article = document.getElementById("article");
  var form = document.getElementById("answer-form");
  var words = article ? Array.prototype.slice.call(article.querySelectorAll(".w")) : [];
  var phrase = document.getElementById("phrase");
  var start = document.getElementById("start");
  var end = document.getElementById("end");
  var status = document.getElementById("sel-status");
  var category = document.getElementById("category");
  var kindBox = document.getElementById("kind-box");
  var cursor = 0, anchor = null;

  function textBetween(a, b) {
    var range = document.createRange();
    range.setStartBefore(words[a]);
    range.setEndAfter(words[b]);
    return range.toString().replace(/\s+/g, " ").trim();
  }

  function choose(a, b, announce) {
    if (a > b) { var t = a; a = b; b = t; }
    words.forEach(function (w, i) { w.classList.toggle("sel", i >= a && i <= b); });
    var text = textBetween(a, b);
    if (form) {
      phrase.value = text;
      start.value = words[a].getAttribute("data-s");
      end.value = words[b].getAttribute("data-e");
    }
    if (announce) { status.textContent = "Selected: " + text; }
  }

  function wordOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentNode);
    var w = el && el.closest ? el.closest(".w") : null;
    return w ? words.indexOf(w) : -1;
  }

  function fromSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !article.contains(sel.anchorNode)) { return; }
    var a = wordOf(sel.anchorNode), b = wordOf(sel.focusNode);
    if (a < 0 || b < 0) {  // a selection ending between words: use the words it holds
      var inside = words.filter(function (w) { return sel.containsNode(w, true); });
      if (!inside.length) { return; }
      a = words.indexOf(inside[0]);
      b = words.indexOf(inside[inside.length - 1]);
    }
    choose(a, b, true);
  }

  if (article && words.length) {
    article.addEventListener("mouseup", fromSelection);
    article.addEventListener("touchend", function () { window.setTimeout(fromSelection, 50); });
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (sel && !sel.isCollapsed && article.contains(sel.anchorNode)) { fromSelection(); }
    });
    article.addEventListener("focus", function () {
      words[cursor].classList.add("cur");
      status.textContent = "Word: " + words[cursor].textContent +
        ". Arrow keys move, Shift with arrows selects, Enter uses the selection.";
    });
    article.addEventListener("blur", function () { words[cursor].classList.remove("cur"); });
    article.addEventListener("keydown", function (e) {
      var step = { ArrowRight: 1, ArrowDown: 8, ArrowLeft: -1, ArrowUp: -8 }[e.key];
      if (step) {
        e.preventDefault();
        if (e.shiftKey && anchor === null) { anchor = cursor; }
        if (!e.shiftKey) { anchor = null; }
        words[cursor].classList.remove("cur");
        cursor = Math.max(0, Math.min(words.length - 1, cursor + step));
        words[cursor].classList.add("cur");
        words[cursor].scrollIntoView({ block: "nearest" });
        if (anchor !== null) {
          choose(anchor, cursor, true);
        } else {
          words.forEach(function (w) { w.classList.remove("sel"); });
          status.textContent = "Word: " + words[cursor].textContent;
        }
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        if (anchor === null) { choose(cursor, cursor, true); }
        if (category) { category.focus(); }
      } else if (e.key === "Escape") {
        anchor = null;
        words.forEach(function (w) { w.classList.remove("sel"); });
        status.textContent = "Selection cleared.";
      }
    });
  }

  if (phrase) {  // typed by hand: the server finds the words itself
    phrase.addEventListener("input", function () { start.value = ""; end.value = ""; });
  }

  function showKind() {
    if (kindBox && category) { kindBox.hidden = category.value !== "attribution"; }
  }
  if (category) { category.addEventListener("change", showKind); showKind(); }

  var state = document.getElementById("state");
  if (state && state.getAttribute("data-released") !== "yes") {
    var poll = function () {
      fetch(state.getAttribute("data-source"), { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (d && d.released) { window.location.reload(); return; }
          window.setTimeout(poll, 3000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 3000);
  }
})();
