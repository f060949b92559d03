/* Progress of a background job (an import, an export): poll its status and move the bar; reload when it ends. */
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = document.getElementById("progress-bar");
  var count = document.getElementById("progress-count");
  var status = document.getElementById("progress-status");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        status.textContent = state.label;
        if (bar) bar.value = state.percent;
        if (count) count.textContent = state.done + (state.total ? " of " + state.total : "") + " " + box.dataset.unit;
        if (state.working) setTimeout(poll, 1000);
        else location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
