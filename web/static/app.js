// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  // A form sent with mistakes: its summary takes focus, where browsers
  // that ignore autofocus on it would leave it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
  // Its links put the cursor in the field they name.
  if (summary) {
    summary.querySelectorAll("a[href^='#']").forEach(function (a) {
      a.addEventListener("click", function (e) {
        var field = document.getElementById(a.getAttribute("href").slice(1));
        if (field && typeof field.focus === "function") {
          e.preventDefault();
          field.scrollIntoView({ block: "center" });
          field.focus();
        }
      });
    });
  }
  // Filters apply as soon as they change; the Apply button stays for
  // keyboard users who prefer it.
  document.querySelectorAll("form .autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
  // Empty fields stay out of the address, so shared searches read well.
  document.querySelectorAll("form.search").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (el) {
        if ((el.type === "search" || el.type === "text" || el.type === "number" || el.tagName === "SELECT") && el.value === "") {
          el.disabled = true;
        }
      });
    });
  });
  // Coming back to a page from history, the fields are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.search [disabled]").forEach(function (el) { el.disabled = false; });
  });
  // Copy buttons beside fediverse handles.
  document.querySelectorAll(".copy-button").forEach(function (btn) {
    if (!navigator.clipboard) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var el = document.getElementById(btn.getAttribute("data-copy"));
      navigator.clipboard.writeText("value" in el ? el.value : el.textContent.trim()).then(function () {
        btn.setAttribute("aria-live", "polite");
        btn.dataset.label = btn.dataset.label || btn.textContent;
        btn.textContent = "✓";
        setTimeout(function () { btn.textContent = btn.dataset.label; }, 1500);
      });
    });
  });
  // The time zone, when not chosen yet, is the browser's: a search for
  // hours of overlap then needs no more than the hours.
  var zone = document.querySelector("select[data-guess-zone]");
  if (zone && zone.value === "" && window.Intl && Intl.DateTimeFormat) {
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    var options = Array.prototype.map.call(zone.options, function (o) { return o.value; });
    if (options.indexOf(guess) < 0) {
      // Browsers may name a zone by an older alias of the same place:
      // America/Buenos_Aires for America/Argentina/Buenos_Aires.
      var parts = guess.split("/");
      var alike = options.filter(function (v) {
        var p = v.split("/");
        return parts.length > 1 && p[0] === parts[0] && p[p.length - 1] === parts[parts.length - 1];
      });
      guess = alike.length === 1 ? alike[0] : "";
    }
    if (guess) {
      zone.value = guess;
    }
  }
  // On phones the results come first and the filters open as a sheet
  // from the sticky "Filters (n)" button; without this script that button
  // is a link down to the filters, which follow the results.
  document.documentElement.classList.add("js");
  var sheet = document.getElementById("filters");
  var toggle = document.querySelector(".filters-toggle");
  if (sheet && toggle) {
    var closeBtn = sheet.querySelector(".sheet-close");
    var phone = window.matchMedia("(max-width: 48rem)");
    var openSheet = function () {
      var box = sheet.querySelector(".filters-box");
      if (box) { box.open = true; }
      sheet.classList.add("open");
      sheet.setAttribute("role", "dialog");
      sheet.setAttribute("aria-modal", "true");
      toggle.setAttribute("aria-expanded", "true");
      document.documentElement.classList.add("sheet-locked");
      if (closeBtn) { closeBtn.hidden = false; closeBtn.focus(); }
    };
    var closeSheet = function () {
      sheet.classList.remove("open");
      sheet.removeAttribute("role");
      sheet.removeAttribute("aria-modal");
      toggle.setAttribute("aria-expanded", "false");
      document.documentElement.classList.remove("sheet-locked");
      toggle.focus();
    };
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function (e) {
      if (!phone.matches) { return; }
      e.preventDefault();
      openSheet();
    });
    if (closeBtn) { closeBtn.addEventListener("click", closeSheet); }
    sheet.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sheet.classList.contains("open")) { closeSheet(); }
    });
  }
})();
