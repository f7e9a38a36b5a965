/* HomeStrength coaching: show only the fields that apply. Without it every field is shown
   and the server ignores the ones that do not apply. */
(function () {
  "use strict";

  function toggle(name, attribute) {
    var radios = document.querySelectorAll('input[type="radio"][name="' + name + '"]');
    if (!radios.length) return;
    function update() {
      var chosen = document.querySelector('input[type="radio"][name="' + name + '"]:checked');
      var value = chosen ? chosen.value : "";
      document.querySelectorAll("[" + attribute + "]").forEach(function (block) {
        var wanted = block.getAttribute(attribute);
        block.hidden = wanted ? wanted !== value : value !== "fixed";
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  toggle("mode", "data-fixed-only");  // routine item: sets × reps only for a fixed dose
})();
