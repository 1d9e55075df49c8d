// The attention console: live timers, keyboard shortcuts, one submit per click. Driven by data- attributes;
// the console works without it (the server renders every timer's state as of the page load).
(function () {
  "use strict";

  var offset = 0; // server clock minus this browser's clock, in ms

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function format(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function instant(value) { return value ? Date.parse(value) : NaN; }

  function setState(timer, state) {
    ["ok", "warn", "over"].forEach(function (name) { timer.classList.toggle("timer-" + name, name === state); });
    var label = timer.querySelector("[data-timer-state]");
    if (label && label.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)]) {
      label.textContent = label.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)];
    }
  }

  function tick(timer, now) {
    if (!timer.hasAttribute("data-running")) return;
    if (timer.hasAttribute("data-ticking")) {
      var elapsed = Number(timer.dataset.elapsed) + (now - timer._loaded) / 1000;
      var value = timer.querySelector("[data-timer-value]");
      if (value) value.textContent = format(elapsed);
    }
    // Colours follow the deadline instants the server computed (wall clock or business hours).
    var warn = instant(timer.dataset.warn), deadline = instant(timer.dataset.deadline);
    if (isNaN(deadline)) return;
    if (timer.dataset.kind === "min") {
      setState(timer, now >= deadline ? "ok" : "warn");
    } else {
      setState(timer, now > deadline ? "over" : (!isNaN(warn) && now >= warn ? "warn" : "ok"));
    }
  }

  function init(root) {
    var clock = root.querySelector("[data-console]") || (root.matches && root.matches("[data-console]") ? root : null);
    if (clock && clock.dataset.now) {
      var server = instant(clock.dataset.now);
      if (!isNaN(server)) offset = server - Date.now();
    }
    var now = Date.now() + offset;
    root.querySelectorAll("[data-timer]").forEach(function (timer) {
      if (timer._loaded === undefined) timer._loaded = now;
    });
    root.querySelectorAll("form[data-once]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
      });
    });
  }

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key && event.key.toLowerCase();
    var target = key && document.querySelector('[data-shortcut="' + key + '"]');
    if (!target) return;
    event.preventDefault();
    if (key === "c") {
      // Closing asks for the outcome first: go to the form rather than submit anything.
      var form = document.getElementById("close-form");
      var first = form && form.querySelector("input, select, textarea");
      if (first) { form.scrollIntoView({ block: "center" }); first.focus(); return; }
    }
    target.click();
  });

  // A refused tick (4xx) still replaces the item, so the agent reads why.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status >= 400 && status < 500 && event.detail.requestConfig && event.detail.requestConfig.elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    window.setInterval(function () {
      var now = Date.now() + offset;
      document.querySelectorAll("[data-timer]").forEach(function (timer) {
        if (timer._loaded === undefined) timer._loaded = now;
        tick(timer, now);
      });
    }, 1000);
  });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
