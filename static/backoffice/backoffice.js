// Back-office keyboard helpers: "/" focuses the search field, "g" then a letter follows
// a main navigation access key (d dashboard, q queue, w warehouse, o orders);
// the header checkbox selects every row of a table; a form with data-confirm asks first;
// a select with data-autosubmit submits its form on change. (No inline handlers: the
// Content-Security-Policy allows scripts from our own origin only.)
(function () {
  "use strict";
  var pendingG = false;
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      var search = document.querySelector("[data-shortcut='/']");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
      return;
    }
    if (pendingG) {
      pendingG = false;
      var link = document.querySelector(".mainnav a[accesskey='" + event.key + "']");
      if (link) { event.preventDefault(); window.location = link.href; }
      return;
    }
    if (event.key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); return; }
    if (!event.target.matches("[data-select-all]")) return;
    var table = event.target.closest("table");
    table.querySelectorAll("tbody input[type=checkbox][name=selected]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
