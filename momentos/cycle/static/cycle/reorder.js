// Drag-and-drop reordering for lists marked with data-reorder-url: items carry data-reorder-id;
// on drop the new order is posted as repeated `order` fields and the server's HTML replaces the
// element named by data-reorder-target. Without JavaScript the up/down buttons do the same job.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(list) {
    var body = new FormData();
    list.querySelectorAll("[data-reorder-id]").forEach(function (item) {
      body.append("order", item.dataset.reorderId);
    });
    body.append("csrfmiddlewaretoken", csrfToken());
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var target = document.querySelector(list.dataset.reorderTarget);
        if (!target) { window.location.reload(); return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var replacement = holder.firstElementChild;
        target.replaceWith(replacement);
        if (window.htmx) window.htmx.process(replacement);
        bind(replacement);
      })
      .catch(function () { window.location.reload(); });
  }

  function clearMarks(list) {
    list.querySelectorAll(".drop-before, .drop-after").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after");
    });
  }

  function bindList(list) {
    if (list.dataset.reorderBound) return;
    list.dataset.reorderBound = "1";
    var dragged = null;
    list.querySelectorAll("[data-reorder-id]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.reorderId);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        clearMarks(list);
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        clearMarks(list);
        item.classList.add(after ? "drop-after" : "drop-before");
      });
      item.addEventListener("drop", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var after = item.classList.contains("drop-after");
        clearMarks(list);
        item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
        send(list);
      });
    });
  }

  function bind(root) {
    if (root.matches && root.matches("[data-reorder-url]")) bindList(root);
    root.querySelectorAll("[data-reorder-url]").forEach(bindList);
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();
