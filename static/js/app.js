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

// Plan table as cards on a phone (static/css/app.css): each cell of a measure gets its
// column's label (data-label) and key (class cell-<key>) from the table's header, each
// sub-section heading the path of the sections it sits in (data-path). The header is
// the one source of the columns, so the cells carry no repeated labels over the wire;
// runs on the first load and whenever htmx brings rows or the whole table.
(function () {
  "use strict";
  var UNLABELLED = { number: true, title: true };

  function columnsOf(table) {
    var header = table.tHead && table.tHead.rows[0];
    if (!header) return [];
    return Array.prototype.map.call(header.cells, function (cell) {
      var key = "";
      cell.classList.forEach(function (name) {
        if (name.indexOf("col-") === 0) key = name.slice(4);
      });
      return { key: key, label: cell.textContent.replace(/\s+/g, " ").trim() };
    });
  }

  function labelCells(row, columns) {
    Array.prototype.forEach.call(row.cells, function (cell, index) {
      var column = columns[index];
      if (!column || !column.key || cell.classList.contains("cell-" + column.key)) return;
      cell.classList.add("cell-" + column.key);
      if (!UNLABELLED[column.key]) cell.setAttribute("data-label", column.label);
    });
  }

  function sectionPaths(table) {
    var trail = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var depth = /(?:^|\s)depth-(\d+)(?:\s|$)/.exec(row.className);
      if (!depth || !row.classList.contains("plan-section")) return;
      var heading = row.cells[0];
      var level = parseInt(depth[1], 10);
      var path = [];
      for (var index = 0; index < level && path; index += 1) path = trail[index] ? path.concat(trail[index]) : null;
      if (path && path.length) heading.setAttribute("data-path", path.join(" › "));
      else heading.removeAttribute("data-path");
      trail.length = level;
      trail[level] = heading.textContent.replace(/\s+/g, " ").trim();
    });
  }

  function decorate(root) {
    if (!root.querySelectorAll) return;
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.plan-cards"));
    var own = root.closest ? root.closest("table.plan-cards") : null;
    if (own) tables.push(own);
    tables.forEach(function (table) {
      if (!table.tBodies.length) return;
      var columns = columnsOf(table);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (row.classList.contains("plan-measure") && !row.classList.contains("editing")) labelCells(row, columns);
      });
      sectionPaths(table);
    });
  }

  if (window.htmx) window.htmx.onLoad(decorate);
})();

// Bulk forms (marks, reviews): the rows' checkboxes belong to a form elsewhere on the page
// (form="<id>"). The form shows only while something is chosen, with how many; a
// [data-check-all="<id>"] button chooses every row. Without JavaScript the form is always shown.
(function () {
  "use strict";
  function boxes(id) {
    return Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][form="' + id + '"]'));
  }
  function refresh(form) {
    var chosen = boxes(form.id).filter(function (box) { return box.checked; }).length;
    form.classList.toggle("d-none", chosen === 0);
    var count = form.querySelector("[data-bulk-count]");
    if (count) count.textContent = String(chosen);
  }
  function bind(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("form[data-bulk]").forEach(function (form) { refresh(form); });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches || !target.matches("input[type=checkbox][form]")) return;
    var form = document.getElementById(target.getAttribute("form"));
    if (form && form.hasAttribute("data-bulk")) refresh(form);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-check-all]") : null;
    if (!button) return;
    var id = button.getAttribute("data-check-all");
    var all = boxes(id);
    var check = all.some(function (box) { return !box.checked; });
    all.forEach(function (box) { box.checked = check; });
    var form = document.getElementById(id);
    if (form) refresh(form);
  });
  if (window.htmx) window.htmx.onLoad(bind); else bind(document);
})();
