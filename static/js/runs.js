/* Running log import: send the chosen files one at a time, then ask how each is getting on
   (the server reads them in the background) and show progress and a result per file.
   Without JavaScript the form posts all files at once and the page lists their states. */
(function () {
  "use strict";

  var form = document.getElementById("import-form");
  var panel = document.getElementById("import-progress");
  if (!form || !panel || !window.fetch || !window.FormData) return;

  var input = form.querySelector("input[type=file]");
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var rows = document.getElementById("import-rows");
  var done = document.getElementById("import-done");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
  var statusUrl = form.getAttribute("data-status");
  var POLL_MS = 1000, POLL_TRIES = 600;  // ten minutes at most

  function text(id) { return document.getElementById(id).innerHTML.trim(); }

  function showCount(finished, total) {
    bar.value = finished;
    count.textContent = text("import-counter")
      .replace("{done}", finished).replace("{total}", total);
  }

  function addRow(name) {
    var row = document.createElement("tr");
    var file = document.createElement("td");
    var result = document.createElement("td");
    file.textContent = name;
    result.textContent = text("import-waiting");
    row.appendChild(file);
    row.appendChild(result);
    rows.appendChild(row);
    return result;
  }

  function settle(cell, ok, message) {
    cell.textContent = message;
    cell.parentNode.className = ok ? "import-ok" : "import-failed";
  }

  // A result the server has not finished: kept to ask about it again.
  function show(cell, result, waiting) {
    if (result.ok === null) {
      cell.textContent = result.message;
      waiting[result.id] = cell;
    } else {
      settle(cell, result.ok, result.message);
    }
  }

  function send(file, cell, waiting) {
    if (file.size > maxBytes) {
      settle(cell, false, form.getAttribute("data-too-big"));
      return Promise.resolve();
    }
    cell.textContent = text("import-sending");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("files", file, file.name);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json();
    }).then(function (payload) {
      var result = payload.results && payload.results[0];
      if (result) show(cell, result, waiting);
      else settle(cell, false, payload.error || form.getAttribute("data-failed"));
    }).catch(function () {
      settle(cell, false, form.getAttribute("data-failed"));
    });
  }

  // Ask about the files still being read until every one has a result.
  function follow(waiting, onSettled, tries) {
    var ids = Object.keys(waiting);
    if (!ids.length) return Promise.resolve();
    if (tries >= POLL_TRIES) {
      ids.forEach(function (id) { settle(waiting[id], false, form.getAttribute("data-failed")); });
      return Promise.resolve();
    }
    return new Promise(function (resolve) { setTimeout(resolve, POLL_MS); }).then(function () {
      var query = ids.map(function (id) { return "id=" + encodeURIComponent(id); }).join("&");
      return fetch(statusUrl + "?" + query, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (payload) {
        (payload.results || []).forEach(function (result) {
          var cell = waiting[result.id];
          if (!cell) return;
          cell.textContent = result.message;
          if (result.ok !== null) {
            settle(cell, result.ok, result.message);
            delete waiting[result.id];
            onSettled();
          }
        });
      }).catch(function () { /* asked again on the next round */ });
    }).then(function () { return follow(waiting, onSettled, tries + 1); });
  }

  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) return;  // let the browser and the server say a file is needed
    event.preventDefault();
    if (files.length > maxFiles) {
      rows.textContent = "";
      panel.hidden = false;
      count.textContent = form.getAttribute("data-too-many");
      return;
    }
    form.querySelector("button[type=submit]").disabled = true;
    rows.textContent = "";
    done.hidden = true;
    panel.hidden = false;
    bar.max = files.length;
    showCount(0, files.length);
    var cells = files.map(function (file) { return addRow(file.name); });
    var waiting = {};
    var finished = 0;
    function settledOne() { finished += 1; showCount(finished, files.length); }
    var chain = Promise.resolve();
    files.forEach(function (file, index) {
      chain = chain.then(function () {
        return send(file, cells[index], waiting);
      }).then(function () {
        if (!isWaiting(cells[index])) settledOne();
      });
    });
    function isWaiting(cell) {
      return Object.keys(waiting).some(function (id) { return waiting[id] === cell; });
    }
    chain.then(function () {
      return follow(waiting, settledOne, 0);
    }).then(function () {
      form.reset();
      form.querySelector("button[type=submit]").disabled = false;
      done.hidden = false;
      done.focus();
    });
  });
})();
