/* Set logging: steppers, the rest timer (wake lock, vibration, sound) and the pain slider.
   Everything here is an enhancement: the forms post and work without it. */
(function () {
  "use strict";
  // Words from Django's JavaScript catalogue (base.html loads it first); as written without it.
  var gettext = window.gettext || function (text) { return text; };
  // A load is written as the page's language writes it ("12,5" in Spanish); both are read.
  var decimalMark = window.get_format ? window.get_format("DECIMAL_SEPARATOR") : ".";
  var wakeLock = null;
  var ticking = null;

  function releaseWakeLock() {
    if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
  }

  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock) return;
    navigator.wakeLock.request("screen").then(function (lock) { wakeLock = lock; })
      .catch(function () {});
  }

  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no sound available */ }
  }

  function startTimer(root) {
    var box = root.querySelector("[data-rest-until]");
    clearInterval(ticking);
    if (!box) { releaseWakeLock(); return; }
    var until = Date.parse(box.getAttribute("data-rest-until"));
    var display = box.querySelector(".timer");
    keepAwake();
    function tick() {
      // Computed from the end time, so it is right again after the phone was locked.
      var left = Math.max(0, Math.round((until - Date.now()) / 1000));
      display.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        clearInterval(ticking);
        box.classList.replace("alert-secondary", "alert-success");
        display.textContent = display.getAttribute("data-done") || gettext("Go!");
        if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
        beep();
        releaseWakeLock();
      }
    }
    tick();
    ticking = setInterval(tick, 500);
  }

  function wire(root) {
    root.querySelectorAll("[data-step]:not([data-wired])").forEach(function (button) {
      button.setAttribute("data-wired", "");
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-target"));
        var value = parseFloat((input.value || "0").replace(",", ".")) || 0;
        var next = Math.max(0, value + parseFloat(button.getAttribute("data-step")));
        input.value = String(Math.round(next * 10) / 10).replace(".", decimalMark);
      });
    });
    root.querySelectorAll("input[data-output]:not([data-wired])").forEach(function (range) {
      range.setAttribute("data-wired", "");
      var out = document.getElementById(range.getAttribute("data-output"));
      range.addEventListener("input", function () { out.textContent = range.value; });
    });
    startTimer(root);
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    wire(event.detail.target.id === "logger" ? document.getElementById("logger") : document);
    var heading = document.getElementById("exercise-name");
    if (heading) heading.focus({ preventScroll: true });
  });
  // The offline logger (offline-log.js) moved on to a set or exercise of its own.
  document.addEventListener("hs:wire", function (event) { wire(event.detail.root); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") startTimer(document);
  });
})();
