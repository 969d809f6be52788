// The exercise dashboard: results arrive live (polling a JSON file every few
// seconds). Student text is set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var table = document.getElementById("results");
  if (!table) { return; }
  var source = table.getAttribute("data-source");
  var status = document.getElementById("live-status");
  var body = table.tBodies[0];

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function draw(data) {
    var rows = document.createDocumentFragment();
    data.students.forEach(function (s) {
      var tr = document.createElement("tr");
      cell(tr, s.name);
      var td = cell(tr, "");
      var ul = document.createElement("ul");
      ul.className = "answers";
      s.answers.forEach(function (a) {
        var li = document.createElement("li");
        li.textContent = "\u201c" + a.phrase + "\u201d (" + a.category + (a.kind ? ", " + a.kind : "") + ")";
        ul.appendChild(li);
      });
      td.appendChild(ul);
      cell(tr, s.submitted ? "yes" : "not yet");
      cell(tr, s.found + " of " + s.key);
      cell(tr, s.correct + " of " + s.answered);
      cell(tr, String(s.also_seen));
      rows.appendChild(tr);
    });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(rows);
    var n = data.students.length, sent = data.students.filter(function (s) { return s.submitted; }).length;
    status.textContent = n + " student" + (n === 1 ? "" : "s") + " so far, " + sent +
      " sent. This table updates by itself.";
  }

  function poll() {
    fetch(source, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the server may be restarting: try again later */ })
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
