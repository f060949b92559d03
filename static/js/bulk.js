/* The claim list's bulk actions (templates/claims/partials/bulk_form.html). Without this script every field
 * is shown and "Select all on this page" is a link that shows the page with every box ticked; with it:
 * - a "select all on this page" box ticks and unticks the rows' boxes (mixed when only some are ticked);
 * - the number ticked is said in a live region;
 * - only the fields of the chosen action are shown (each says which actions read it: data-bulk-for).
 */
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  if (!form) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][form="bulk"]'));
  var all = document.getElementById("bulk-all");
  var count = document.getElementById("bulk-count");
  var action = form.querySelector('select[name="bulk-action"]');

  var link = form.querySelector(".bulk__all-link");
  if (link) link.hidden = true;
  all.closest(".bulk__all").hidden = false;

  function ticked() {
    return boxes.filter(function (box) { return box.checked; }).length;
  }
  function update() {
    var n = ticked();
    all.checked = n > 0 && n === boxes.length;
    all.indeterminate = n > 0 && n < boxes.length;
    count.textContent = n === 0 ? "" : n + (n === 1 ? " claim ticked" : " claims ticked");
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();

  function showFields() {
    form.querySelectorAll("[data-bulk-for]").forEach(function (input) {
      var wanted = input.getAttribute("data-bulk-for").split(" ").indexOf(action.value) !== -1;
      input.closest(".field").hidden = !wanted;
    });
  }
  if (action) {
    action.addEventListener("change", showFields);
    showFields();
  }
})();
