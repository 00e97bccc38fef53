// Progressive enhancement of the forms' lists (web/choices.go): the page
// works without this script, with a native <select> or a list of
// checkboxes.
//
// A single choice becomes a text field with a <datalist>: typing part of
// a name (any accents, any case, or the code) narrows the browser's own
// suggestion list. The browser gives it the combobox role, the arrow
// keys, Enter and what a screen reader announces, so nothing of that is
// written here. The <select> stays in the form, hidden, and carries the
// value; a name that is not on the list is refused before sending.
//
// A list of checkboxes gets a search field above it that hides the
// entries not matching (Enter ticks the first one shown) and a line
// naming what is ticked.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function copyAria(from, to) {
    ["aria-invalid", "aria-describedby"].forEach(function (a) {
      if (from.hasAttribute(a)) { to.setAttribute(a, from.getAttribute(a)); }
    });
  }

  document.querySelectorAll("select[data-choice]").forEach(function (sel) {
    var id = sel.id, list = document.createElement("datalist"), input = document.createElement("input");
    var byKey = {}, hasEmpty = false;
    list.id = id + "-options";
    Array.prototype.forEach.call(sel.options, function (o) {
      if (o.value === "") { hasEmpty = true; return; }
      var opt = document.createElement("option");
      opt.value = o.textContent;
      list.appendChild(opt);
      byKey[fold(o.textContent)] = o.value;
    });
    Array.prototype.forEach.call(sel.options, function (o) {
      if (o.value !== "" && !(fold(o.value) in byKey)) { byKey[fold(o.value)] = o.value; }
    });
    input.type = "text";
    input.id = id;
    input.className = "choice-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("list", list.id);
    copyAria(sel, input);
    var cur = sel.options[sel.selectedIndex];
    input.value = cur && cur.value !== "" ? cur.textContent : "";
    sel.id = id + "-select";
    sel.hidden = true;
    sel.tabIndex = -1;
    function sync() {
      var key = fold(input.value);
      if (key === "" && hasEmpty) {
        sel.value = "";
      } else if (Object.prototype.hasOwnProperty.call(byKey, key)) {
        sel.value = byKey[key];
      } else {
        input.setCustomValidity(sel.getAttribute("data-no-match") || "✗");
        return;
      }
      input.setCustomValidity("");
    }
    input.addEventListener("input", sync);
    input.addEventListener("change", function () {
      sync();
      var o = sel.options[sel.selectedIndex];
      if (input.validity.valid && o && o.value !== "") { input.value = o.textContent; }
    });
    sel.parentNode.insertBefore(input, sel);
    sel.parentNode.insertBefore(list, sel);
  });

  document.querySelectorAll("fieldset[data-choices]").forEach(function (fs) {
    var box = fs.querySelector(".choice-list");
    var entries = Array.prototype.slice.call(box.querySelectorAll("label"));
    var search = document.createElement("input"), chosen = document.createElement("p");
    box.id = fs.id + "-list";
    search.type = "search";
    search.id = fs.id + "-search";
    search.className = "choice-search";
    search.autocomplete = "off";
    search.setAttribute("aria-label", (fs.getAttribute("data-search-label") || "") + ": " + fs.querySelector("legend").textContent);
    search.setAttribute("aria-controls", box.id);
    chosen.className = "hint choice-chosen";
    chosen.setAttribute("aria-live", "polite");
    function showChosen() {
      var names = entries.filter(function (l) { return l.querySelector("input").checked; })
        .map(function (l) { return l.textContent.trim(); });
      chosen.textContent = names.length ? (fs.getAttribute("data-chosen-label") || "") + ": " + names.join(", ") : "";
    }
    search.addEventListener("input", function () {
      var q = fold(search.value);
      entries.forEach(function (l) {
        l.hidden = q !== "" && fold(l.textContent).indexOf(q) < 0 && fold(l.querySelector("input").value) !== q;
      });
    });
    search.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") { return; }
      e.preventDefault();
      var first = entries.find(function (l) { return !l.hidden; });
      if (first) {
        var box = first.querySelector("input");
        box.checked = !box.checked;
        showChosen();
      }
    });
    box.addEventListener("change", showChosen);
    fs.insertBefore(search, box);
    fs.insertBefore(chosen, box);
    showChosen();
  });
})();
