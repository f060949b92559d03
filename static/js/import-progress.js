/* Import progress in the admin: poll the batch's status and move the bar; reload when a phase ends. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        status.textContent = state.label;
        if (bar) bar.value = state.percent;
        if (count) count.textContent = state.done + (state.total ? " of " + state.total : "") + " records";
        if (state.working) setTimeout(poll, 1000);
        else location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
