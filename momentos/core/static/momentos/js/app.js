// Small progressive enhancements driven by data- attributes; every page works without them.
(function () {
  "use strict";

  function init(root) {
    root.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("aria-controls"));
        var open = target.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        if (navigator.clipboard && source) {
          navigator.clipboard.writeText(source.textContent.trim()).then(function () {
            button.textContent = button.dataset.copiedLabel || "✓";
          });
        }
      });
    });
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
