/* Offline queue, on every page of a logged-in person: what is waiting on this phone, sending
   it (on load, when the network comes back, and again every little while as long as
   something waits), refusals in words, the finish form offline, and logout. The queue itself
   is static/js/queue.js; the logger's part is static/js/offline-log.js. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (base.html loads it first); as written without it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  var Q = window.HSQueue;
  // This page's person (an opaque token): only their entries are shown, counted and sent
  // here; a shared phone keeps the others' entries for when they log in again.
  var owner = document.body && document.body.getAttribute("data-queue-owner");
  if (!Q || !owner) return;
  // The service worker's cache of pages, one per language (templates/core/sw.js).
  var PAGES = "hs-pages-v1-" + (document.documentElement.lang || "en");
  var RETRY_MS = [5000, 10000, 20000, 40000, 60000];

  var state = {
    entries: [],
    available: true,   // false when IndexedDB refused to open
    syncing: false,
    progress: null,    // [done, total] while sending
    stopped: null,     // why the last run stopped: "network", "server", "auth"
    justSynced: false, // the last run emptied the queue
    retries: 0,
    timer: null
  };
  var listeners = [];

  function queued() {
    return state.entries.filter(function (e) { return e.state === "queued"; });
  }

  function refusedEntries() {
    return state.entries.filter(function (e) { return e.state === "refused"; });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- What the athlete sees ----------------------------------------------------------

  function box(id, role) {
    var node = document.getElementById(id);
    if (node) return node;
    node = document.createElement("div");
    node.id = id;
    node.setAttribute("role", role);
    if (role === "status") node.setAttribute("aria-live", "polite");
    var main = document.getElementById("main");
    if (main) main.insertBefore(node, main.firstChild);
    return node;
  }

  function paragraph(text, className) {
    var p = document.createElement("p");
    p.className = className || "mb-0";
    p.textContent = text;
    return p;
  }

  function renderStatus() {
    var node = box("offline-status", "status");
    var waiting = queued().length;
    node.textContent = "";
    node.className = "";
    if (!state.available) {
      node.className = "alert alert-warning";
      node.appendChild(paragraph(gettext(
        "This phone does not let HomeStrength save sets offline (storage is blocked), so " +
        "sets are only saved while you are online.")));
      return;
    }
    if (waiting) {
      if (state.syncing && state.progress) {
        node.className = "alert alert-info";
        node.appendChild(paragraph(interpolate(gettext("Syncing… %(done)s of %(total)s sent."),
          { done: state.progress[0], total: state.progress[1] }, true)));
      } else if (state.stopped === "auth") {
        node.className = "alert alert-warning";
        node.appendChild(paragraph(interpolate(ngettext(
          "Saved on this phone: %(count)s entry waiting. Log in again to send it.",
          "Saved on this phone: %(count)s entries waiting. Log in again to send them.",
          waiting), { count: waiting }, true)));
      } else {
        node.className = "alert alert-warning";
        node.appendChild(paragraph(navigator.onLine && state.stopped === "server"
          ? gettext("Saved on this phone — the server did not answer; trying again shortly.")
          : gettext("Saved on this phone — it will sync when you're back online."),
        "mb-1 fw-semibold"));
        node.appendChild(paragraph(interpolate(
          ngettext("%(count)s waiting.", "%(count)s waiting.", waiting), { count: waiting }, true)));
      }
    } else if (state.justSynced) {
      node.className = "alert alert-success";
      node.appendChild(paragraph(refusedEntries().length
        ? gettext("Everything else is synced.") : gettext("All sets synced.")));
    }
    renderRefused();
  }

  function renderRefused() {
    var refused = refusedEntries();
    var node = document.getElementById("offline-refused");
    if (!refused.length) {
      if (node) node.remove();
      return;
    }
    node = box("offline-refused", "alert");
    node.className = "alert alert-danger";
    node.textContent = "";
    node.appendChild(paragraph(ngettext(
      "The server did not save this entry:", "The server did not save these entries:",
      refused.length), "mb-1 fw-semibold"));
    var list = document.createElement("ul");
    list.className = "mb-2";
    refused.forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = entry.label + " — " + entry.message;
      list.appendChild(item);
    });
    node.appendChild(list);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-danger w-100";
    button.textContent = gettext("OK, I've read this");
    button.addEventListener("click", function () {
      Promise.all(refused.map(function (e) { return Q.remove(e.seq); })).then(reload);
    });
    node.appendChild(button);
  }

  // Said when a set could not be stored on the phone either: it is NOT saved anywhere.
  function notSaved(what) {
    var node = box("offline-failure", "alert");
    node.className = "alert alert-danger";
    node.textContent = "";
    node.appendChild(paragraph(interpolate(gettext(
      "%(entry)s was NOT saved: this phone would not store it (storage full or blocked). " +
      "Note it down and log it again when you are online."), { entry: what }, true),
    "mb-0 fw-semibold"));
    node.scrollIntoView({ block: "nearest" });
  }

  // --- The queue ----------------------------------------------------------------------

  function changed() {
    renderStatus();
    listeners.forEach(function (listener) { listener(state); });
  }

  // Sent entries are kept until the logger shows them (offline-log.js), so a kept copy
  // of the page that predates them still counts them; a day later nobody needs them.
  var DAY_MS = 24 * 3600 * 1000;

  function forgetOldSent(entries) {
    var old = entries.filter(function (e) {
      return e.state === "synced" && Date.now() - (e.answered || 0) > DAY_MS;
    });
    return Promise.all(old.map(function (e) { return Q.remove(e.seq); })).then(function () {
      return entries.filter(function (e) { return old.indexOf(e) === -1; });
    });
  }

  function own(entries) {
    return entries.filter(function (e) { return e.owner === owner; });
  }

  function reload() {
    return Q.all().then(own).then(forgetOldSent).then(function (entries) {
      var before = queued().length;
      state.entries = entries;
      // Emptied while this page watched, by this page or by the worker's Background Sync.
      if (before && !queued().length) state.justSynced = true;
      changed();
      return entries;
    }, function () {
      state.available = false;
      changed();
      return [];
    });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(Q.SYNC_TAG);
    }).catch(function () {});
  }

  // Keeps ``entry`` on the phone; resolves once it is stored, rejects when it could not be.
  function enqueue(entry) {
    var failure = function (error) {
      notSaved(entry.label || gettext("That entry"));
      throw error;
    };
    var added;
    entry.owner = owner;
    try {
      added = Q.add(entry);
    } catch (error) {
      return Promise.reject(error).catch(failure);
    }
    return added.catch(failure).then(function () {
      var old = document.getElementById("offline-failure");
      if (old) old.remove();
      state.justSynced = false;
      return reload();
    }).then(function (entries) {
      askBackgroundSync();
      if (navigator.onLine) sync();
      return entries;
    });
  }

  function schedule() {
    clearTimeout(state.timer);
    if (!queued().length || !navigator.onLine || state.stopped === "auth") return;
    var wait = RETRY_MS[Math.min(state.retries, RETRY_MS.length - 1)];
    state.retries += 1;
    state.timer = setTimeout(sync, wait);
  }

  function sync() {
    if (!state.available || state.syncing) return Promise.resolve(null);
    if (!queued().length) return Promise.resolve(null);
    state.syncing = true;
    state.progress = [0, queued().length];
    state.stopped = null;
    changed();
    return Q.sync({
      token: csrfToken(),
      owner: owner,
      onProgress: function (done, total) {
        state.progress = [done, total];
        renderStatus();
      }
    }).then(function (result) {
      state.syncing = false;
      state.progress = null;
      state.stopped = result.stopped;
      if (!result.stopped && result.sent > 0) state.justSynced = true;
      if (!result.stopped) state.retries = 0;
      return reload().then(function () {
        schedule();
        document.dispatchEvent(new CustomEvent("hs:queue-synced", { detail: result }));
        return result;
      });
    }, function () {
      state.syncing = false;
      state.progress = null;
      state.stopped = "network";
      changed();
      schedule();
      return null;
    });
  }

  // --- Finish offline -----------------------------------------------------------------

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields[name] = value;
    });
    return fields;
  }

  function mustQueue() {
    return state.available && (!navigator.onLine || queued().length > 0);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-queue=finish]") || !mustQueue()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var session = Number(form.getAttribute("data-session"));
    enqueue({
      session: session,
      kind: "finish",
      url: form.getAttribute("action") || window.location.pathname,
      fields: fieldsOf(form),
      label: gettext("Finishing the session")
    }).then(function () {
      var main = document.getElementById("main");
      var done = document.createElement("div");
      done.className = "finish-queued";
      var heading = document.createElement("h1");
      heading.className = "h3";
      heading.tabIndex = -1;
      heading.textContent = gettext("Session finished on this phone");
      done.appendChild(heading);
      done.appendChild(paragraph(gettext("It is saved on this phone and will be sent, after " +
        "the sets before it, when you're back online."), "mb-3"));
      var link = document.createElement("a");
      link.className = "btn btn-outline-secondary w-100";
      link.href = form.getAttribute("data-plan-url");
      link.textContent = gettext("Back to the plan");
      done.appendChild(link);
      var page = form.closest("[data-finish-page]") || form;
      page.replaceWith(done);
      heading.focus();
    }, function () {});
  }, true);

  // --- Logout: send first, ask before dropping anything, and forget the kept pages -------

  function forgetPages() {
    var jobs = [];
    if (window.caches) jobs.push(caches.delete(PAGES).catch(function () {}));
    return Promise.all(jobs);
  }

  function askBeforeLogout(form, waiting) {
    var node = box("offline-logout", "alert");
    node.className = "alert alert-warning";
    node.textContent = "";
    node.appendChild(paragraph(interpolate(ngettext(
      "%(count)s entry on this phone has not reached the server yet. If you log out now, " +
        "it is deleted from this phone.",
      "%(count)s entries on this phone have not reached the server yet. If you log out now, " +
        "they are deleted from this phone.",
      waiting), { count: waiting }, true), "mb-2 fw-semibold"));
    var stay = document.createElement("button");
    stay.type = "button";
    stay.className = "btn btn-primary w-100 mb-2";
    stay.textContent = gettext("Stay logged in");
    stay.addEventListener("click", function () { node.remove(); });
    var leave = document.createElement("button");
    leave.type = "button";
    leave.className = "btn btn-danger w-100";
    leave.textContent = gettext("Log out and delete them");
    leave.addEventListener("click", function () {
      Q.clear().catch(function () {}).then(forgetPages).then(function () { form.submit(); });
    });
    node.appendChild(stay);
    node.appendChild(leave);
    window.scrollTo(0, 0);
    stay.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) return;
    event.preventDefault();
    var attempt = queued().length && navigator.onLine ? sync() : Promise.resolve(null);
    attempt.then(function () {
      var waiting = queued().length;
      if (waiting) {
        askBeforeLogout(form, waiting);
        return null;
      }
      return forgetPages().then(function () { form.submit(); });
    });
  });

  // --- When to send ---------------------------------------------------------------------

  window.addEventListener("online", function () {
    state.retries = 0;
    if (state.stopped !== "auth") state.stopped = null;
    sync();
  });
  window.addEventListener("offline", function () {
    clearTimeout(state.timer);
    renderStatus();
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "hs-queue-changed") reload();
    });
  }

  window.HSOffline = {
    state: state,
    queued: queued,
    mustQueue: mustQueue,
    enqueue: enqueue,
    sync: sync,
    reload: reload,
    fieldsOf: fieldsOf,
    notSaved: notSaved,
    onChange: function (listener) { listeners.push(listener); },
    PAGES: PAGES
  };

  // This page's person and token for the worker's Background Sync, then send what waits.
  var previous = (document.body.getAttribute("data-queue-owner-previous") || "")
    .split(" ").filter(Boolean);
  Q.claim(owner, csrfToken(), previous).then(reload, function () {
    state.available = false;
    changed();
  }).then(function () {
    if (navigator.onLine) sync();
  });
})();
