/* HomeStrength two-step login: allauth's passkey script only logs failures to the console
   (a cancelled fingerprint prompt, a key that does not match); show them on the page. */
(function () {
  "use strict";

  document.addEventListener("allauth.error", function (event) {
    var message = document.getElementById("webauthn-error");
    if (!message) return;
    event.preventDefault();
    message.classList.remove("d-none");
    message.focus();
  });
})();
