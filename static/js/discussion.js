/* @name suggestions in a comment box (templates/claims/partials/discussion.html).
   A textarea with data-mentions (a URL answering ?q= with {"results": [{"value", "label"}]}) offers, after
   "@" and a letter or two, the people whose names start so: arrows move, Enter or Tab chooses, Escape
   closes. Without a script one types the whole name, which the server reads just the same. */
(function () {
  "use strict";
  var TYPED = /(^|[^\w.+@-])@([\w.+-]{1,30})$/;
  var counter = 0;

  function setUp(box) {
    var id = "mention-options-" + (++counter);
    var wrapper = document.createElement("div");
    wrapper.className = "mention-box";
    box.parentNode.insertBefore(wrapper, box);
    wrapper.appendChild(box);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);
    box.setAttribute("aria-controls", id);
    box.setAttribute("aria-autocomplete", "list");  // only once there is a list to offer

    var timer = null, asked = "", active = -1, typed = null;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, n) { option.setAttribute("aria-selected", n === active ? "true" : "false"); });
      box.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(name) {
      if (!typed) return;
      var before = box.value.slice(0, typed.end - typed.prefix.length);
      var after = box.value.slice(typed.end);
      var inserted = name + (after.charAt(0) === " " ? "" : " ");
      box.value = before + inserted + after;
      var caret = before.length + inserted.length;
      box.setSelectionRange(caret, caret);
      close();
      status.textContent = "Mentioned " + name + ".";
      box.focus();
    }

    function show(names) {
      list.replaceChildren.apply(list, names.map(function (result, n) {
        var option = document.createElement("li");
        option.id = id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = "@" + result.label;
        option.dataset.value = result.value;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(result.value); });
        return option;
      }));
      list.hidden = names.length === 0;
      status.textContent = names.length
        ? names.length + (names.length === 1 ? " person matches" : " people match") + ": arrow keys to choose, Enter to mention."
        : "Nobody's name starts so.";
      if (names.length) highlight(0);
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      var found = TYPED.exec(box.value.slice(0, box.selectionEnd));
      if (!found) { typed = null; asked = ""; close(); return; }
      typed = { prefix: found[2], end: box.selectionEnd };
      timer = setTimeout(function () {
        var q = typed && typed.prefix;
        if (!q || q === asked) return;
        asked = q;
        fetch(box.dataset.mentions + "?q=" + encodeURIComponent(q), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) { if (typed && typed.prefix === q) show(data.results); })
          .catch(function () { asked = ""; });
      }, 150);
    });

    box.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options()[active].dataset.value);
      } else if (event.key === "Escape") { event.preventDefault(); close(); }
    });

    box.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(setUp);
})();
