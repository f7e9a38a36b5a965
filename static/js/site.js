/* HomeStrength: the small enhancements every page shares. Everything works without it. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (base.html loads it first); as written without it.
  var gettext = window.gettext || function (text) { return text; };

  // Menu toggle on phones (Bootstrap's markup, without loading Bootstrap's JavaScript).
  document.querySelectorAll("[data-nav-toggle]").forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    button.addEventListener("click", function () {
      var open = menu.classList.toggle("show");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });

  // Video facade: nothing is requested from YouTube or Vimeo until the user taps.
  document.querySelectorAll("[data-video-embed]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = link.getAttribute("data-video-embed");
      frame.title = link.getAttribute("data-video-title") || gettext("Demonstration video");
      frame.className = "video-frame";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.setAttribute("allowfullscreen", "");
      link.replaceWith(frame);
    });
  });

  // The service worker (README, "Offline logging"), after the page has loaded so it never
  // slows the first paint. A browser without it, or without a secure context, just skips it.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
})();
