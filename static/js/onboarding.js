/* HomeStrength first run: the browser's time zone into the sign-up and step-1 forms, and
   the dumbbell weights shown only once "Dumbbells" is ticked. Without it everything still
   works: the zone stays UTC until changed on the profile, and the weights field is shown. */
(function () {
  "use strict";

  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    zone = "";
  }
  if (zone) {
    document.querySelectorAll("input[data-guess-timezone]").forEach(function (input) {
      input.value = zone;
    });
  }

  var dumbbells = document.querySelector("input[data-dumbbells]");
  var weights = document.querySelector("[data-dumbbell-weights]");
  if (!dumbbells || !weights) return;
  var typed = weights.querySelector("input[type=text]");
  function show() {
    // Never hide what was typed or an error about it.
    var keep = (typed && typed.value.trim() !== "") || weights.querySelector(".is-invalid");
    weights.hidden = !dumbbells.checked && !keep;
  }
  dumbbells.addEventListener("change", show);
  show();
})();
