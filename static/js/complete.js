/* Suggestions as one types (workbench/widgets.py): fill an input's <datalist> from its data-complete URL. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-complete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        asked = q;
        fetch(input.dataset.complete + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (result) {
              var option = document.createElement("option");
              option.value = result.value;
              option.label = result.label;
              option.textContent = result.label;
              return option;
            }));
          })
          .catch(function () { asked = ""; });
      }, 200);
    });
  });
})();
