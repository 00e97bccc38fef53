// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  // Filters apply as soon as they change; the Apply button stays for
  // keyboard users who prefer it.
  document.querySelectorAll("form .autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Copy buttons beside fediverse handles.
  document.querySelectorAll(".copy-button").forEach(function (btn) {
    if (!navigator.clipboard) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var input = document.getElementById(btn.getAttribute("data-copy"));
      navigator.clipboard.writeText(input.value).then(function () {
        btn.setAttribute("aria-live", "polite");
        btn.dataset.label = btn.dataset.label || btn.textContent;
        btn.textContent = "✓";
        setTimeout(function () { btn.textContent = btn.dataset.label; }, 1500);
      });
    });
  });
  // On small screens the filters start folded, so results come first.
  var box = document.querySelector(".filters-box");
  if (box && window.matchMedia("(max-width: 48rem)").matches && !document.querySelector(".active-filters")) {
    box.open = false;
  }
})();
