/* HomeStrength accounts: copy an invitation link with one tap. Without it the link is still
   shown in a read-only box to select and copy by hand. */
(function () {
  "use strict";

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.addEventListener("focus", function () { input.select(); });
    if (!navigator.clipboard) return;  // only over HTTPS or on localhost
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
