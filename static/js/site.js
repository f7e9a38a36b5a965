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

  // A follow-up question (data-follows: the other question's field name) is hidden while
  // that question's answer is one of data-hidden-for, and its answers are disabled so they
  // are not sent. The form ignores them then anyway (sessions.forms.CheckInForm): this only
  // keeps a stale "Hard" from looking chosen.
  document.querySelectorAll("[data-follows]").forEach(function (question) {
    var form = question.closest("form");
    if (!form) return;
    var name = question.getAttribute("data-follows");
    var hiddenFor = (question.getAttribute("data-hidden-for") || "").split(" ");
    function update() {
      var chosen = form.querySelector('input[name="' + name + '"]:checked');
      var hide = chosen !== null && hiddenFor.indexOf(chosen.value) !== -1;
      question.hidden = hide;
      question.querySelectorAll("input").forEach(function (input) {
        input.disabled = hide;
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === name) update();
    });
    update();
  });

  // The service worker (README, "Offline logging"), after the page has loaded so it never
  // slows the first paint. A browser without it, or without a secure context, just skips it.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
})();
