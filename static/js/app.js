// Site-wide behaviour: htmx sends the CSRF token with every request it makes.
(function () {
  "use strict";
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
  });
})();

// Plan table: the edit controls of a row are rendered once per page in
// <template id="row-actions-section|measure">; each row that may be edited carries
// data-actions and data-id, and gets its copy here, with its id in place of __id__ —
// on the first load and whenever htmx brings new rows (an edited row, the whole table).
(function () {
  "use strict";
  var ATTRIBUTES = ["href", "action", "hx-get", "hx-post", "value"];

  function bindRow(row) {
    var cell = row.querySelector("td.row-actions");
    var template = document.getElementById("row-actions-" + row.getAttribute("data-actions"));
    if (!cell || !template || cell.firstElementChild) return false;
    var id = row.getAttribute("data-id");
    var controls = template.content.cloneNode(true);
    controls.querySelectorAll("*").forEach(function (element) {
      ATTRIBUTES.forEach(function (name) {
        var value = element.getAttribute(name);
        if (value && value.indexOf("__id__") !== -1) element.setAttribute(name, value.split("__id__").join(id));
      });
    });
    var edit = controls.querySelector("[data-edit]");
    if (edit) row.setAttribute("data-edit-url", edit.getAttribute("hx-get"));
    cell.appendChild(controls);
    return true;
  }

  function bindRows(root) {
    if (!root.querySelectorAll) return;
    var rows = Array.prototype.slice.call(root.querySelectorAll("tr[data-actions]"));
    if (root.matches && root.matches("tr[data-actions]")) rows.push(root);
    var bound = false;
    rows.forEach(function (row) { bound = bindRow(row) || bound; });
    if (bound && window.htmx) window.htmx.process(root);
  }

  if (window.htmx) window.htmx.onLoad(bindRows);
})();
