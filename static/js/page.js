/* Every page: the navigation's Menu button on a narrow screen, and where focus goes when a page arrives
 * after a server action.
 *
 * Menu: the button is hidden until this script runs (without it the links are always shown); CSS shows it
 * on a narrow screen only. Enter or Space opens and closes it, Escape closes it and puts focus back on it.
 *
 * Skip links (a.skip-to) move focus to their target, not only the view, and unfold it when it is folded
 * (a <details>, or a section whose body is one), as the address's #fragment does.
 *
 * Focus: after a form is sent back with an error, focus goes to the first invalid field (or the error box
 * when no field is to blame); after a redirect with a message, to the message, which is a live region.
 * When the page was asked for at a place (#evidence, #claim-item-3), the message is shown at the top of the
 * section that holds it, where the work goes on, rather than at the top of the page.
 */
(function () {
  "use strict";

  var toggle = document.querySelector(".nav-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    document.documentElement.classList.add("has-nav-toggle");
    toggle.hidden = false;
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      toggle.focus();
    });
  }

  // A folded part of the page (the claim page's history) unfolds when a link or the address points at it.
  function unfold(target) {
    if (!target) return;
    var inner = target.querySelector(":scope > details.fold");
    if (inner) inner.open = true;
    if (target.closest("summary")) return; // a summary shows when its details is closed
    for (var el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
  }
  var hashTarget = function () {
    return location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  };
  unfold(hashTarget());
  window.addEventListener("hashchange", function () { unfold(hashTarget()); });

  // A link past a long list of results (the claim page's passages) puts focus on what it skips to; a
  // fragment link alone only scrolls there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.skip-to");
    var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    unfold(target);
    if (target.tabIndex < 0 && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(target.tagName)) target.tabIndex = -1;
    target.focus();
  });

  var main = document.getElementById("main");
  if (!main) return;
  var invalid = main.querySelector('[aria-invalid="true"]:not([type="hidden"])');
  var problem = main.querySelector(".form-errors[role=alert], .conflict[role=alert]");
  var messages = document.getElementById("messages");
  var target = null;
  if (invalid) {
    target = invalid;
  } else if (problem) {
    problem.tabIndex = -1;
    target = problem;
  } else if (messages && messages.querySelector(".message")) {
    var asked = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var section = asked && asked.closest("section");
    if (section && main.contains(section)) {
      var heading = section.querySelector("h2");
      if (heading && heading.parentNode === section) heading.insertAdjacentElement("afterend", messages);
      else section.insertAdjacentElement("afterbegin", messages);
      messages.classList.add("messages--in-section");
    }
    target = messages;
  }
  if (!target) return;
  target.focus();
  // The browser scrolls to a #fragment once the page has loaded, and takes focus away as it does.
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (!document.activeElement || document.activeElement === document.body) target.focus();
    }, 0);
  });
})();
