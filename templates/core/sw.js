{% autoescape off %}/* HomeStrength service worker (served by core.views.service_worker at /sw.js).

   - Today's plan, the logging page and the finish page: network first, so online always
     shows fresh data; the last copy answers when the network does not (README, "Offline
     logging"). A logout deletes these copies (Clear-Site-Data).
   - Static files: hashed names never change, so the cached copy is used.
   - The offline queue (static/js/queue.js) is sent on Background Sync where the browser
     has it; pages send it too (on load and when the network comes back). */
"use strict";
var CONFIG = {{ config }};
var PAGES = CONFIG.pagesCache;  // per language
var STATIC = CONFIG.staticCache;  // one per deploy
var KNOWN = [PAGES, STATIC];

importScripts({{ workbox_sw }});
importScripts(CONFIG.catalog);  // gettext() for queue.js's words, in this worker's language
importScripts({{ queue_js }});
workbox.setConfig({
  debug: false,
  modulePathCb: function (name) { return CONFIG.modules[name]; }
});
// Load every module now: a worker may only import scripts while it starts.
var routing = workbox.routing;
var strategies = workbox.strategies;
var cacheable = workbox.cacheableResponse;
var expiration = workbox.expiration;

// The pages a started session needs offline. /today/ is kept only as its redirect to the
// open session: a check-in form could not be sent offline anyway.
var SESSION_PAGE = /^\/sessions\/\d+\/(log\/|finish\/)?$/;
var TODAY = "/today/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC).then(function (cache) {
      return cache.addAll(CONFIG.offlineStatic.concat([CONFIG.catalog]));
    })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("hs-") === 0 && KNOWN.indexOf(name) === -1;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.origin === self.location.origin &&
      SESSION_PAGE.test(options.url.pathname) && !options.url.search;
  },
  new strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 8,
    matchOptions: { ignoreVary: true },
    plugins: [
      new cacheable.CacheableResponsePlugin({ statuses: [200] }),
      new expiration.ExpirationPlugin({ maxEntries: 30 })
    ]
  })
);

routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.origin === self.location.origin &&
      options.url.pathname === TODAY && !options.url.search;
  },
  new strategies.NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 8,
    matchOptions: { ignoreVary: true },
    plugins: [{
      // Only the redirect to the open session (a navigation's redirect arrives opaque).
      cacheWillUpdate: function (options) {
        return options.response.type === "opaqueredirect" ? options.response : null;
      }
    }]
  })
);

routing.registerRoute(
  function (options) {
    return options.request.method === "GET" && options.url.origin === self.location.origin &&
      (options.url.pathname.indexOf(CONFIG.staticPrefix) === 0 ||
       options.url.pathname === CONFIG.catalog);  // named by language and deploy too
  },
  new (CONFIG.cacheFirst ? strategies.CacheFirst : strategies.StaleWhileRevalidate)({
    cacheName: STATIC,
    plugins: [
      new cacheable.CacheableResponsePlugin({ statuses: [200] }),
      new expiration.ExpirationPlugin({ maxEntries: 80 })
    ]
  })
);

// Any other page comes from the network as ever; offline, the words below answer instead
// of the browser's error page.
routing.registerRoute(
  function (options) {
    return options.request.mode === "navigate" && options.url.origin === self.location.origin;
  },
  new strategies.NetworkOnly()
);

// A page that is neither online nor kept: say so in words instead of the browser's error.
routing.setCatchHandler(function (options) {
  if (options.request.mode !== "navigate") return Promise.resolve(Response.error());
  var html = {{ offline_page }};
  return Promise.resolve(new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }
  }));
});

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

// Background Sync (Chromium): the browser wakes the worker when the network is back, even
// with the page closed. A network failure rejects, so the browser tries again later. Only
// the entries of the person whose page opened last are sent (queue.js, META "owner").
self.addEventListener("sync", function (event) {
  if (event.tag !== HSQueue.SYNC_TAG) return;
  event.waitUntil(HSQueue.sync({}).then(function (result) {
    return tellPages({ type: "hs-queue-changed" }).then(function () {
      if (result.stopped === "network" || result.stopped === "server") {
        throw new Error("the queue was not sent: " + result.stopped);
      }
    });
  }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "hs-forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});
{% endautoescape %}
