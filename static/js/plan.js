// Keyboard for the plan table: Enter on a focused measure row opens the inline editor,
// Ctrl+Enter saves it, Escape cancels. htmx does the requests; this file only wires keys.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.matches && target.matches("tr.plan-measure[data-edit-url]")) {
      var url = target.getAttribute("data-edit-url");
      if (url && window.htmx) {
        event.preventDefault();
        window.htmx.ajax("GET", url, { target: target, swap: "outerHTML" });
      }
      return;
    }
    var form = target.closest ? target.closest("form.inline-edit") : null;
    if (!form) return;
    // A key pressed the moment the editor arrives may come before htmx has processed it
    // (that happens on settle): process it now, so the click and submit go through htmx.
    if (window.htmx && (event.key === "Escape" || event.key === "Enter")) window.htmx.process(form);
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      var cancel = form.querySelector("[hx-get]");
      if (cancel) { event.preventDefault(); cancel.click(); }
    }
  });
  // Focus the first field of an editor as soon as it arrives.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var field = event.detail.target && event.detail.target.querySelector ? event.detail.target.querySelector("form.inline-edit textarea, form.inline-edit input:not([type=hidden])") : null;
    if (field) field.focus();
  });
})();
