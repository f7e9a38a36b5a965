/* The offline queue: sets, skips and finishes kept on this phone (IndexedDB) until the
   server has answered them. Loaded by the pages of a logged-in person and by the service
   worker (importScripts), so both send the same queue the same way.

   Each entry: {seq, owner, session, kind: "set"|"skip"|"finish", url, fields, label,
   position, setNumber, state: "queued"|"synced"|"refused", message, created}. ``owner`` is
   the opaque token of the person who made it (<body data-queue-owner>, an HMAC of the user's
   id): a phone may be shared, so pages show and send only their own person's entries, and
   the worker only those of the person whose page was opened last (META "owner"); the
   others wait, untouched, until their person logs in on this phone again. Entries are sent one
   after another in the order they were made, each with its client UUID (README, "Set
   logging: exactly once"); an entry leaves "queued" only when the server answered it:
   201/200 → "synced", 409/400/404 → "refused" with the reason in words. A network error, a
   5xx or a lost login stops the run and leaves the rest queued, so a server restart in the
   middle of a sync loses nothing and doubles nothing. */
(function (global) {
  "use strict";
  // Words from Django's JavaScript catalogue, which the page and the worker load before this
  // file; as written without it.
  function gettext(text) { return global.gettext ? global.gettext(text) : text; }
  function interpolate(format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  }
  var DB_NAME = "homestrength";
  var DB_VERSION = 1;
  var QUEUE = "queue";
  var META = "meta";
  var opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request;
      try {
        request = global.indexedDB.open(DB_NAME, DB_VERSION);
      } catch (error) {
        reject(error);
        return;
      }
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(QUEUE)) {
          db.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
        }
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
      };
      request.onsuccess = function () {
        var db = request.result;
        // Clear-Site-Data (logout) or a newer version: let go so it can go ahead.
        db.onversionchange = function () { db.close(); opening = null; };
        db.onclose = function () { opening = null; };
        resolve(db);
      };
      request.onerror = function () { reject(request.error || new Error("IndexedDB refused")); };
      request.onblocked = function () { reject(new Error("IndexedDB is blocked")); };
    });
    opening.catch(function () { opening = null; });
    return opening;
  }

  // Runs ``work(store)`` in one transaction; resolves with what ``work`` returned (an
  // IDBRequest's result, read once the transaction has committed).
  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error || new Error("IndexedDB error")); };
        tx.onabort = function () { reject(tx.error || new Error("IndexedDB aborted")); };
      });
    });
  }

  function all() {
    return run(QUEUE, "readonly", function (store) { return store.getAll(); })
      .then(function (items) { return items.sort(function (a, b) { return a.seq - b.seq; }); });
  }

  function add(entry) {
    entry.state = "queued";
    entry.created = Date.now();
    return run(QUEUE, "readwrite", function (store) { return store.add(entry); });
  }

  function put(entry) {
    return run(QUEUE, "readwrite", function (store) { return store.put(entry); });
  }

  function remove(seq) {
    return run(QUEUE, "readwrite", function (store) { return store.delete(seq); });
  }

  function clear() {
    return run(QUEUE, "readwrite", function (store) { return store.clear(); });
  }

  // A page of ``owner`` has opened: the worker's Background Sync now sends that person's
  // entries with that page's CSRF token. Entries without an owner were queued before
  // entries had one; they can only be from the person who used this phone last, and this
  // was never released, so the first owner whose page opens takes them. ``previous``: the
  // same person's tokens under the server's old secret keys (a key rotation).
  function claim(owner, token, previous) {
    previous = previous || [];
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction([QUEUE, META], "readwrite");
        var meta = tx.objectStore(META);
        meta.put(owner, "owner");
        if (token) meta.put(token, "csrf");
        tx.objectStore(QUEUE).openCursor().onsuccess = function (event) {
          var cursor = event.target.result;
          if (!cursor) return;
          if (!cursor.value.owner || previous.indexOf(cursor.value.owner) !== -1) {
            var entry = cursor.value;
            entry.owner = owner;
            cursor.update(entry);
          }
          cursor.continue();
        };
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error || new Error("IndexedDB error")); };
        tx.onabort = function () { reject(tx.error || new Error("IndexedDB aborted")); };
      });
    });
  }

  function getMeta(key) {
    return run(META, "readonly", function (store) { return store.get(key); });
  }

  function setMeta(key, value) {
    return run(META, "readwrite", function (store) { return store.put(value, key); });
  }

  function describeErrors(errors) {
    var words = [];
    Object.keys(errors || {}).forEach(function (field) {
      (errors[field] || []).forEach(function (message) { words.push(message); });
    });
    return words.join(" ");
  }

  // What the server's answer means for the entry, or why the run has to stop.
  function judge(response) {
    var status = response.status;
    if (response.type === "opaqueredirect" || status === 403 || status === 401) {
      return Promise.resolve({ stop: "auth" });  // logged out, or a stale CSRF cookie
    }
    if (status === 404) {
      return Promise.resolve({
        state: "refused",
        message: gettext("That session is not in this account, so this entry was not saved.")
      });
    }
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!isJson || status >= 500) return Promise.resolve({ stop: "server" });
    return response.json().then(function (body) {
      if (status === 200 || status === 201) return { state: "synced", answer: body };
      if (status === 409) return { state: "refused", message: body.message, reason: body.reason };
      if (status === 400) {
        return {
          state: "refused",
          reason: "invalid",
          message: interpolate(gettext("The server could not read it: %(errors)s"),
            { errors: describeErrors(body.errors) }, true)
        };
      }
      return { stop: "server" };
    }, function () { return { stop: "server" }; });
  }

  function send(entry, token) {
    var body = new URLSearchParams();
    Object.keys(entry.fields || {}).forEach(function (name) {
      var value = entry.fields[name];
      if (value !== null && value !== undefined) body.append(name, value);
    });
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",  // a redirect here is the login page: the session has ended
      // The server answers 403 (kept, "auth") if the session is not this entry's owner's.
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": token || "",
        "X-Queue-Owner": entry.owner || ""
      }
    });
  }

  // Sends every queued entry of ``options.owner`` (a page's person; the worker: the person
  // whose page opened last) in order; nobody's entries without an owner known. Resolves with
  // {sent, synced, refused, left, stopped} where ``stopped`` is null, "network", "server" or
  // "auth". ``onProgress(done, total)`` is called after each answer.
  function sendAll(options) {
    var result = { sent: 0, synced: 0, refused: 0, left: 0, stopped: null };
    return Promise.all([
      all(),
      options.token ? options.token : getMeta("csrf"),
      options.owner ? options.owner : getMeta("owner")
    ])
      .then(function (found) {
        var owner = found[2];
        var queued = found[0].filter(function (entry) {
          return entry.state === "queued" && !!owner && entry.owner === owner;
        });
        var token = found[1];
        var index = 0;
        function next() {
          if (index >= queued.length) return result;
          var entry = queued[index];
          return send(entry, token).then(judge, function () { return { stop: "network" }; })
            .then(function (verdict) {
              if (verdict.stop) {
                result.stopped = verdict.stop;
                result.left = queued.length - index;
                return result;
              }
              entry.state = verdict.state;
              entry.message = verdict.message || "";
              entry.reason = verdict.reason || "";
              entry.answer = verdict.answer || null;
              entry.answered = Date.now();
              return put(entry).then(function () {
                index += 1;
                result.sent += 1;
                result[verdict.state === "synced" ? "synced" : "refused"] += 1;
                if (options.onProgress) options.onProgress(index, queued.length);
                return next();
              });
            });
        }
        return next();
      });
  }

  var running = null;

  // One run at a time in this page; Web Locks keep the page and the worker apart.
  function sync(options) {
    options = options || {};
    if (running) return running;
    var go = function () { return sendAll(options); };
    var locks = global.navigator && global.navigator.locks;
    running = (locks ? locks.request("homestrength-queue", go) : go());
    running.then(function () { running = null; }, function () { running = null; });
    return running;
  }

  global.HSQueue = {
    SYNC_TAG: "homestrength-queue",
    open: open,
    all: all,
    add: add,
    put: put,
    remove: remove,
    clear: clear,
    claim: claim,
    getMeta: getMeta,
    setMeta: setMeta,
    sync: sync
  };
})(self);
