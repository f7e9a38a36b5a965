/* The logger offline (README, "Offline logging"). When the phone is offline, or sets are
   still waiting to be sent, "Log set" and "Skip" are kept in the queue (static/js/queue.js)
   instead of posted, and the logger moves on as planned: the next set of the exercise, then
   the next exercise (rendered by the server into <template>s), then the finish page. The
   in-session adjustments of the spec are applied by the server when the sets reach it; the
   page then shows the server's logger again.

   The page carries the plan in numbers (#offline-plan). What the logger shows is that plan
   with every entry of the queue for this session laid on top — queued ones, and sent ones
   the page does not show yet — so a reload offline (the service worker's copy of the page)
   shows the same set as before the reload. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (base.html loads it first); as written without it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  var O = window.HSOffline;
  if (!O) return;

  function readPlan() {
    var node = document.getElementById("offline-plan");
    try {
      return node ? JSON.parse(node.textContent) : null;
    } catch (e) {
      return null;
    }
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // The plan as it stands with the queue's entries for this session. A sent entry the page
  // already shows (the server counted it) changes nothing, so laying it on twice is safe.
  function project(plan, entries) {
    var items = plan.items.map(function (item) { return Object.assign({}, item); });
    var byPosition = {};
    items.forEach(function (item) { byPosition[item.position] = item; });
    var finished = false;
    var shown = [];  // sent entries this page already shows: no longer needed
    entries.forEach(function (entry) {
      if (entry.session !== plan.session || entry.state === "refused") return;
      var item = byPosition[entry.position];
      if (entry.kind === "finish") {
        finished = true;
        return;
      }
      if (!item) return;
      if (entry.kind === "set") {
        if (item.done >= entry.setNumber) {
          if (entry.state === "synced") shown.push(entry);
          return;
        }
        item.done = entry.setNumber;
        if (item.done >= item.setsPlanned) item.status = "done";
      } else if (entry.kind === "skip") {
        if (item.status !== "pending") {
          if (entry.state === "synced") shown.push(entry);
          return;
        }
        item.status = item.done ? "done" : "skipped";
      }
    });
    var current = null;
    for (var i = 0; i < items.length; i += 1) {
      if (items[i].status === "pending") { current = items[i]; break; }
    }
    var logged = items.reduce(function (sum, item) { return sum + item.done; }, 0);
    return { items: items, current: current, finished: finished, logged: logged, shown: shown };
  }

  var logger = function () { return document.getElementById("logger"); };
  var moved = false;  // the logger shows a projection, not the server's page as it came

  function wire(root) {
    document.dispatchEvent(new CustomEvent("hs:wire", { detail: { root: root } }));
    if (window.htmx) window.htmx.process(root);
  }

  function offlineNote(panel) {
    var note = panel.querySelector("#offline-note");
    if (note) return;
    var old = panel.querySelector("#feedback");
    if (old) old.remove();
    note = document.createElement("div");
    note.id = "offline-note";
    note.className = "alert alert-info";
    note.textContent = gettext("Next set as planned. Changes for how your sets went are " +
      "made when they reach the server.");
    var form = panel.querySelector("form[data-queue=set]");
    var timer = panel.querySelector(".rest-timer");
    panel.insertBefore(note, timer || form);
  }

  function startRest(panel, seconds) {
    var timer = panel.querySelector(".rest-timer");
    if (!timer) {
      timer = document.createElement("div");
      timer.className = "rest-timer alert alert-secondary text-center";
      var label = document.createElement("div");
      label.textContent = gettext("Rest");
      var display = document.createElement("div");
      display.className = "timer";
      display.setAttribute("role", "timer");
      display.setAttribute("aria-live", "off");
      var hint = document.createElement("div");
      hint.className = "small";
      hint.textContent = gettext("Log the next set whenever you are ready.");
      timer.appendChild(label);
      timer.appendChild(display);
      timer.appendChild(hint);
      panel.insertBefore(timer, panel.querySelector("form[data-queue=set]"));
    }
    timer.classList.remove("alert-success");
    timer.classList.add("alert-secondary");
    timer.setAttribute("data-rest-until", new Date(Date.now() + seconds * 1000).toISOString());
  }

  function setField(form, name, value) {
    var input = form.querySelector("input[name=" + name + "]");
    if (input) input.value = value;
  }

  // Shows ``view.current`` at its next set; returns the panel.
  function showCurrent(plan, view) {
    var root = logger();
    var panel = root.querySelector("[data-panel]");
    var item = view.current;
    if (Number(panel.getAttribute("data-position")) !== item.position) {
      var template = root.querySelector("template[data-panel-for='" + item.position + "']");
      if (!template) return null;
      var fresh = template.content.firstElementChild.cloneNode(true);
      panel.replaceWith(fresh);
      panel = fresh;
      wire(panel);
    }
    var number = item.done + 1;
    var form = panel.querySelector("form[data-queue=set]");
    var shownNumber = Number(form.querySelector("input[name=set_number]").value);
    if (shownNumber !== number) {
      setField(form, "set_number", number);
      setField(form, "client_id", uuid());
      panel.querySelector("[data-set-number]").textContent = String(number);
      var aim = panel.querySelector("#aim");
      if (aim && number > 1) aim.remove();
      document.title = document.title.replace(/\d+ · HomeStrength$/, number + " · HomeStrength");
    }
    if (item.done) {
      var skip = panel.querySelector("form[data-queue=skip] button");
      if (skip && skip.getAttribute("data-label-next")) {
        skip.textContent = skip.getAttribute("data-label-next");
      }
    }
    var progress = panel.querySelector("progress");
    if (progress) {
      progress.value = view.logged;
      progress.textContent = view.logged + "/" + progress.max;
    }
    return panel;
  }

  function showFinished(plan) {
    var root = logger();
    root.textContent = "";
    var heading = document.createElement("h1");
    heading.className = "h3";
    heading.id = "exercise-name";
    heading.tabIndex = -1;
    heading.textContent = gettext("Session finished on this phone");
    root.appendChild(heading);
    var text = document.createElement("p");
    text.textContent = gettext("It will be sent with your sets when you're back online.");
    root.appendChild(text);
    var link = document.createElement("a");
    link.className = "btn btn-outline-secondary w-100";
    link.href = plan.planUrl;
    link.textContent = gettext("Back to the plan");
    root.appendChild(link);
  }

  // Lays the queue on the page's plan and shows the result.
  function render(entries, options) {
    var plan = readPlan();
    if (!plan) return;
    var view = project(plan, entries);
    view.shown.forEach(function (entry) { window.HSQueue.remove(entry.seq); });
    var touched = entries.some(function (entry) {
      return entry.session === plan.session && entry.state !== "refused" &&
        view.shown.indexOf(entry) === -1;
    });
    if (!touched) return;
    moved = true;
    if (view.finished) {
      showFinished(plan);
      return;
    }
    if (!view.current) {
      // Every exercise is done or skipped: on to the finish page (kept for offline).
      window.location.assign(plan.finishUrl);
      return;
    }
    var panel = showCurrent(plan, view);
    if (panel && options && options.logged) {
      offlineNote(panel);
      startRest(panel, options.logged.rest);
      wire(panel);
      var heading = document.getElementById("exercise-name");
      if (heading) heading.focus({ preventScroll: true });
    }
  }

  function entryFrom(form, kind) {
    var plan = readPlan();
    var panel = form.closest("[data-panel]");
    var name = panel.querySelector("#exercise-name").textContent.trim();
    var fields = O.fieldsOf(form);
    var position = Number(panel.getAttribute("data-position"));
    if (kind === "set") {
      // The count's unit as the form's label names it (reps, or seconds for a hold).
      var reps = form.querySelector("input[name=reps]");
      var label = reps && reps.id ? form.querySelector("label[for='" + reps.id + "']") : null;
      var unit = label ? label.textContent.trim().toLowerCase() : "";
      return {
        session: plan.session,
        kind: "set",
        url: form.getAttribute("action"),
        fields: fields,
        position: position,
        setNumber: Number(fields.set_number),
        clientId: fields.client_id,
        label: interpolate(gettext("%(exercise)s, set %(number)s (%(count)s %(unit)s)"), {
          exercise: name, number: fields.set_number, count: fields.reps, unit: unit
        }, true)
      };
    }
    return {
      session: plan.session,
      kind: "skip",
      url: form.getAttribute("action"),
      fields: {},
      position: position,
      label: interpolate(gettext("Skipping %(exercise)s"), { exercise: name }, true)
    };
  }

  function restOf(position) {
    var plan = readPlan();
    var rest = 90;
    plan.items.forEach(function (item) { if (item.position === position) rest = item.rest; });
    return rest;
  }

  function keep(form, kind) {
    var entry = entryFrom(form, kind);
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    return O.enqueue(entry).then(function (entries) {
      if (button) button.disabled = false;
      render(entries, kind === "set" ? { logged: { rest: restOf(entry.position) } } : null);
    }, function () {
      if (button) button.disabled = false;
    });
  }

  // Before htmx sees it: offline, or with sets still waiting, the entry joins the queue so
  // everything reaches the server in the order it was done.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("#logger form[data-queue=set], #logger form[data-queue=skip]")) return;
    if (!O.mustQueue()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form, form.getAttribute("data-queue"));
  }, true);

  // Online but the request never got an answer (the network dropped, the server is
  // restarting): keep the very same entry — same client id — for later.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-queue=set], form[data-queue=skip]")) {
      keep(form, form.getAttribute("data-queue"));
    }
  });

  // The server's logger after a set: keep it as the offline copy of the logging page.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var plan = readPlan();
    if (!xhr || !plan || !window.caches || xhr.status !== 200) return;
    if (new URL(xhr.responseURL, window.location.href).pathname !== plan.logUrl) return;
    var response = new Response(xhr.responseText, {
      headers: { "Content-Type": "text/html; charset=utf-8" }
    });
    caches.open(O.PAGES).then(function (cache) { return cache.put(plan.logUrl, response); })
      .catch(function () {});
  });

  // Everything sent: show the server's logger again (with its adjustments), and keep it.
  function refreshFromServer() {
    var plan = readPlan();
    if (!plan || !moved) return;
    fetch(plan.logUrl, { credentials: "same-origin" }).then(function (response) {
      var path = new URL(response.url).pathname;
      if (path !== plan.logUrl) {
        window.location.assign(response.url);  // the finish page, or the finished session
        return null;
      }
      if (!response.ok) return null;
      if (window.caches) {
        var copy = response.clone();
        caches.open(O.PAGES).then(function (cache) { return cache.put(plan.logUrl, copy); })
          .catch(function () {});
      }
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("logger");
        if (!fresh) return;
        var note = document.getElementById("offline-note");
        logger().replaceWith(fresh);
        moved = false;
        wire(fresh);
        if (note) return;
      });
    }).catch(function () {});
  }

  document.addEventListener("hs:queue-synced", function (event) {
    if (!event.detail.stopped && !O.queued().length) refreshFromServer();
  });

  // Keep the plan and finish pages for offline use too (the logging page is kept by the
  // worker as it is visited).
  function keepPages() {
    var plan = readPlan();
    if (!plan || !navigator.onLine || !window.caches || !navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function () {
      return caches.open(O.PAGES);
    }).then(function (cache) {
      return Promise.all([plan.logUrl, plan.planUrl, plan.finishUrl].map(function (url) {
        return cache.match(url, { ignoreVary: true }).then(function (hit) {
          if (hit && url !== plan.finishUrl) return null;
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (response.ok && new URL(response.url).pathname === url) {
              return cache.put(url, response);
            }
            return null;
          });
        });
      }));
    }).catch(function () {});
  }

  var first = true;
  O.onChange(function (state) {
    if (first) {
      first = false;
      render(state.entries, null);
      keepPages();
    }
  });
  if (O.state.entries.length) {
    first = false;
    render(O.state.entries, null);
  }
})();
