/* Progress of a background job (an import, an export; templates/partials/progress.html): poll its status,
   move the bar and its count, and reload the page when the job is no longer working. */
(function () {
  "use strict";
  var bar = document.getElementById("progress-bar");
  if (!bar) return;
  var count = document.getElementById("progress-count");
  var status = document.getElementById("progress-status");

  function show(state) {
    if (status) status.textContent = state.label;
    if (state.percent === null) {
      bar.removeAttribute("value"); // the amount of work is not known yet: an indeterminate bar
      bar.removeAttribute("aria-valuenow");
    } else {
      bar.value = state.percent;
      bar.setAttribute("aria-valuenow", state.percent);
    }
    count.textContent = state.done + (state.total ? " of " + state.total : "") + " " + count.dataset.unit;
  }

  function poll() {
    fetch(bar.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.working) setTimeout(poll, 1000);
        else location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
