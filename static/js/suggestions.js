/* Suggested sources: load a claim's suggestions on its page once shown and in the reader when they are
 * opened, and link one in place.
 *
 * Without this script the claim page and the reader's "Suggested sources" link to the claim page with its
 * suggestions, and each Supports / Contradicts / Context button is a plain form POST that returns to the
 * claim's sources.
 * In the reader, a claim just tagged opens its suggestions (reader.js sends "claim-tagged").
 */
(function () {
  "use strict";

  // The reader's live region, or one of our own made when first needed (the tick below lets it settle).
  var status = document.getElementById("reader-status");

  function announce(message) {
    if (!status) {
      status = document.createElement("div");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = "";
    // A fresh text node after a tick, so a repeated message is announced again.
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function fetchText(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    });
  }

  // --- The reader: suggestions fetched on demand, never for every claim on page load -------------

  function load(details) {
    if (details.dataset.loaded) return;
    details.dataset.loaded = "loading";
    var body = details.querySelector(".claim-suggestions__body");
    body.setAttribute("aria-busy", "true");
    fetchText(details.dataset.url).then(function (html) {
      body.innerHTML = html;
      details.dataset.loaded = "yes";
      var count = body.querySelectorAll(".suggestion").length;
      // Opened by tagging: the reader's "Claim tagged." is said again first, as this message replaces it.
      var before = details.dataset.tagged ? "Claim tagged. " : "";
      delete details.dataset.tagged;
      announce(before + (count ? count + " suggested source" + (count === 1 ? "" : "s") + " loaded." : "No suggested sources."));
    }, function () {
      delete details.dataset.loaded; // opening it again tries again
      announce("The suggestions could not be loaded. Open them on the claim page.");
    }).then(function () {
      body.removeAttribute("aria-busy");
    });
  }

  // "toggle" does not bubble: listen as it goes down, which also covers panels redrawn after tagging.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.matches && details.matches("details.claim-suggestions") && details.open) load(details);
  }, true);

  document.addEventListener("claim-tagged", function (event) {
    var details = document.querySelector("#claim-item-" + event.detail.id + " details.claim-suggestions");
    if (details) {
      details.dataset.tagged = "yes";
      details.open = true;
    }
  });

  // --- The claim page: its suggestions fetched once the page is shown, so the page does not wait ---------

  var holder = document.querySelector("[data-suggestions]");
  if (holder) {
    holder.setAttribute("aria-busy", "true");
    fetchText(holder.dataset.suggestions).then(function (html) {
      holder.innerHTML = html;
    }, function () {
      // The link already there still shows them, with the page.
      var p = document.createElement("p");
      p.className = "small";
      p.textContent = "The suggestions could not be loaded.";
      holder.prepend(p);
    }).then(function () {
      holder.removeAttribute("aria-busy");
    });
  }

  // --- Linking a suggestion with one click ------------------------------------------------------

  // The buttons give way to what was done; focus stays on the suggestion rather than fall to the page.
  function markLinked(form, message) {
    var p = document.createElement("p");
    p.className = "small suggestion__linked";
    p.tabIndex = -1;
    p.textContent = "✓ " + message;
    form.replaceWith(p);
    p.focus();
  }

  // On the claim page the sources above gain the link: redraw them from a fresh copy of the page.
  function refreshSources() {
    var sources = document.getElementById("evidence");
    if (!sources) return;
    fetchText(location.href).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("evidence");
      if (fresh) sources.innerHTML = fresh.innerHTML;
    }, function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-link-suggestion]")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "yes";
    var data = new FormData(form);
    var button = event.submitter;
    if (button && button.name) data.append(button.name, button.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (answer) {
        if (response.status === 201) {
          markLinked(form, answer.message);
          announce(answer.message);
          refreshSources();
          return;
        }
        var error = answer && answer.errors ? answer.errors.__all__.join(" ")
          : "The link could not be saved (" + response.status + "). Reload the page and try again.";
        showError(form, error);
      });
    }, function () {
      showError(form, "The link could not be sent: check your connection and try again.");
    }).then(function () {
      delete form.dataset.busy;
    });
  });

  function showError(form, message) {
    var old = form.parentElement.querySelector(".suggestion__error");
    if (old) old.remove();
    var p = document.createElement("p");
    p.className = "small suggestion__error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    form.insertAdjacentElement("afterend", p);
  }
})();
