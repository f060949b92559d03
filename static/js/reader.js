/* Reader: tag a claim by selecting words in the article body.
 *
 * Keyboard shortcuts (not while typing in a field, not with Ctrl/Alt/Meta):
 *   t       open the "Tag claim" box for the selected words and focus it
 *   j / k   focus the next / previous highlighted claim in the text
 *   Escape  close the box (or the tag suggestions) and clear the selection
 * Select with the mouse, or with Shift+arrows when caret browsing is on (F7). A selection that starts or
 * ends inside a word takes the whole word. The box opens beside the text when the screen has room.
 *
 * Offsets are Unicode code points into the article body, as Python slices it: each block
 * carries data-start, and a boundary's offset is data-start plus the code points before it.
 */
(function () {
  "use strict";

  var body = document.getElementById("article-body");
  if (!body) return;
  var form = document.getElementById("tag-claim");
  var status = document.getElementById("reader-status");

  function announce(message) {
    if (!status) return;
    status.textContent = "";
    // A fresh text node after a tick, so a repeated message is announced again.
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function isTyping(el) {
    return !!el && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable);
  }

  // --- j / k: move between claim marks ----------------------------------------------------------

  function moveToMark(step) {
    var marks = Array.prototype.slice.call(body.querySelectorAll("a.claim-mark"));
    if (!marks.length) return;
    var current = document.activeElement;
    var index = marks.indexOf(current);
    if (index < 0) {
      // From anywhere else, go to the first mark after (j) or before (k) the focus.
      var after = marks.findIndex(function (mark) {
        return current && current !== document.body && !current.contains(mark) &&
          (current.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      if (current && current.contains(marks[0])) after = 0;
      if (after < 0) after = marks.length;
      index = step > 0 ? after - 1 : after;
    }
    var next = marks[index + step];
    if (!next) { announce(step > 0 ? "No more claims below." : "No more claims above."); return; }
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center" });
  }

  // Selecting words inside a mark must not follow the link on mouseup.
  body.addEventListener("click", function (event) {
    // event.detail is 0 for Enter on a focused mark, which should still follow the link.
    if (event.detail && event.target.closest("a.claim-mark") && !window.getSelection().isCollapsed) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || isTyping(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      moveToMark(event.key === "j" ? 1 : -1);
    } else if (event.key === "t" && form) {
      event.preventDefault();
      openForTyping();
    }
  });

  // --- Show / hide claim candidates without reloading the page ------------------------------------

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("#candidates-toggle a[data-candidates]");
    if (!toggle || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var url = toggle.href;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["article-body", "candidates-toggle"].forEach(function (id) {
          var from = fresh.getElementById(id);
          var to = document.getElementById(id);
          if (from && to) to.innerHTML = from.innerHTML;
        });
        history.replaceState(null, "", url);
        var summary = document.getElementById("candidates-summary");
        announce(summary ? summary.textContent : "Claim candidates hidden.");
        var again = document.querySelector("#candidates-toggle a");
        if (again) again.focus();
      }, function () { location.href = url; });
  });

  if (!form) return; // Readers who cannot tag get only the navigation.

  // --- Selection -> body offsets ------------------------------------------------------------------

  var WHITE = /\s/;

  // The first or last character of the range that is a word character inside a [data-start] block,
  // which both trims white space and snaps boundaries that fall between blocks.
  function edge(range, forward) {
    var walker = document.createTreeWalker(range.commonAncestorContainer, NodeFilter.SHOW_TEXT);
    var nodes = [];
    if (range.commonAncestorContainer.nodeType === Node.TEXT_NODE) nodes.push(range.commonAncestorContainer);
    while (walker.nextNode()) if (range.intersectsNode(walker.currentNode)) nodes.push(walker.currentNode);
    if (!forward) nodes.reverse();
    for (var n = 0; n < nodes.length; n++) {
      var node = nodes[n];
      var block = node.parentElement.closest("[data-start]");
      if (!block || !body.contains(block)) continue;
      var from = node === range.startContainer ? range.startOffset : 0;
      var to = node === range.endContainer ? range.endOffset : node.data.length;
      if (forward) {
        for (var i = from; i < to; i++) {
          if (WHITE.test(node.data[i])) continue;
          if (i > 0 && /[\uDC00-\uDFFF]/.test(node.data[i])) i--; // never split a surrogate pair
          return { node: node, offset: i, block: block };
        }
      } else {
        for (var j = to; j > from; j--) {
          if (WHITE.test(node.data[j - 1])) continue;
          if (j < node.data.length && /[\uD800-\uDBFF]/.test(node.data[j - 1])) j++;
          return { node: node, offset: j, block: block };
        }
      }
    }
    return null;
  }

  // --- Whole words: a selection that starts or ends inside a word takes the whole word -----------------
  // Letters, digits and marks, and an apostrophe or hyphen between two of them ("Russia's", "well-known").

  var LETTER = /[\p{L}\p{N}\p{M}]/u;
  var JOINER = /['\u2019\u2010\u2011-]/;

  function charAt(point, step) {
    // The character just after (step 1) or before (step -1) a point in the block's text, with where it is.
    var node = point.node, offset = point.offset;
    var walker = document.createTreeWalker(point.block, NodeFilter.SHOW_TEXT);
    walker.currentNode = node;
    while (step > 0 ? offset >= node.data.length : offset <= 0) {
      node = step > 0 ? walker.nextNode() : walker.previousNode();
      if (!node) return null;
      offset = step > 0 ? 0 : node.data.length;
    }
    var at = step > 0 ? offset : offset - 1;
    return { ch: node.data[at], node: node, offset: step > 0 ? at + 1 : at };
  }

  function inWord(point, step) {
    var next = charAt(point, step);
    if (!next) return null;
    if (LETTER.test(next.ch)) return next;
    if (!JOINER.test(next.ch)) return null;
    var before = charAt(point, -step);
    var after = charAt({ node: next.node, offset: next.offset, block: point.block }, step);
    return before && after && LETTER.test(before.ch) && LETTER.test(after.ch) ? next : null;
  }

  // Move a boundary out to the edge of the word it falls in: back for a start (-1), on for an end (1).
  function snap(point, step) {
    var current = point;
    for (var next = inWord(current, step); next; next = inWord(current, step)) {
      current = { node: next.node, offset: next.offset, block: point.block };
    }
    return current;
  }

  function bodyOffset(point) {
    var before = document.createRange();
    before.setStart(point.block, 0);
    before.setEnd(point.node, point.offset);
    return Number(point.block.dataset.start) + Array.from(before.toString()).length;
  }

  // The current selection as {start, end, text, range}, or null when there is nothing to tag.
  function currentSelection() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return null;
    var first = edge(range, true);
    var last = edge(range, false);
    if (!first || !last) return null; // only white space
    first = snap(first, -1);
    last = snap(last, 1);
    var trimmed = document.createRange();
    trimmed.setStart(first.node, first.offset);
    trimmed.setEnd(last.node, last.offset);
    var start = bodyOffset(first);
    var end = bodyOffset(last);
    if (end <= start) return null;
    return { start: start, end: end, range: trimmed, text: trimmed.toString().replace(/\s+/g, " ") };
  }

  // --- The tag box -------------------------------------------------------------------------------

  var wording = form.elements.wording;
  var tags = form.elements.tags;
  var errors = form.querySelector(".tag-box__errors");
  var quote = form.querySelector(".tag-box__quote");
  var submit = form.querySelector('[type="submit"]');
  var busy = false;      // a submit is in flight (not disabled: that would drop the button's focus)
  var shown = null;      // the selection the box is for
  var prefill = "";      // what we put in the wording field, to tell it from the user's own words
  var returnTo = null;   // where focus goes back to when the box closes
  var highlight = window.Highlight && CSS.highlights ? new Highlight() : null;
  if (highlight) CSS.highlights.set("tag-claim", highlight);
  if (!form.hasAttribute("aria-label") && !form.hasAttribute("aria-labelledby")) form.setAttribute("aria-label", "Tag claim");
  body.tabIndex = -1; // so focus can return to the text

  function show(selection) {
    var sameAsBefore = shown && shown.start === selection.start && shown.end === selection.end;
    if (form.hidden && !sameAsBefore) form.reset(); // a new selection after a cancel starts from an empty box
    if (!sameAsBefore) setErrors(null); // errors were about the previous selection
    if (!wording.value.trim() || wording.value === prefill) wording.value = selection.text;
    prefill = selection.text;
    form.elements.start.value = selection.start;
    form.elements.end.value = selection.end;
    quote.textContent = selection.text;
    if (highlight) { highlight.clear(); highlight.add(selection.range); }
    if (form.hidden) announce("Press t to tag the selected words as a claim.");
    form.hidden = false;
    shown = selection;
    place();
    if (!sameAsBefore) checkDuplicates(selection);
  }

  // --- Already tagged? Asked for each new selection; saving never waits for the answer -------------

  var duplicates = form.querySelector(".tag-box__duplicates");
  var asked = 0;

  function checkDuplicates(selection) {
    var ticket = ++asked;
    duplicates.textContent = "";
    var data = new FormData(form);
    fetch(duplicates.dataset.url, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (ticket !== asked || !answer || !answer.claims.length || shown !== selection) return;
        var lead = document.createElement("p");
        lead.className = "already-tagged__lead";
        lead.textContent = "\u26a0 Already tagged? Open one instead, or tag yours anyway:";
        var list = document.createElement("ul");
        list.className = "already-tagged__list";
        answer.claims.forEach(function (claim) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = claim.url;
          link.textContent = claim.wording;
          var why = document.createElement("span");
          why.className = "muted small";
          why.textContent = " " + claim.reason + ": " + claim.article + (claim.publisher ? " (" + claim.publisher + ")" : "");
          item.appendChild(link);
          item.appendChild(why);
          list.appendChild(item);
        });
        duplicates.appendChild(lead);
        duplicates.appendChild(list);
        place();
      })
      .catch(function () { /* only a hint: the box works without it */ });
  }

  // --- Claim candidates: their mark opens the box for the sentence ---------------------------------

  body.addEventListener("click", function (event) {
    var marker = event.target.closest("a.candidate-marker");
    if (!marker) return;
    var pieces = body.querySelectorAll('.candidate-text[data-candidate="' + marker.dataset.start + '"]');
    if (!pieces.length) return;
    event.preventDefault();
    var range = document.createRange();
    range.setStartBefore(pieces[0]);
    range.setEndAfter(pieces[pieces.length - 1]);
    returnTo = marker;
    show({
      start: Number(marker.dataset.start),
      end: Number(marker.dataset.end),
      range: range,
      text: range.toString().replace(/\s+/g, " "),
    });
    wording.focus();
  });

  // Beside the text, level with the selection, where the screen has room right of the text (it then covers
  // the claims panel, not the words being read); else below the selection (above it when there is no
  // room). Inside the viewport, whatever the form's containing block is: measure where left/top 0 lands
  // and offset from there.
  function place() {
    if (form.hidden || !shown || !shown.range.startContainer.isConnected) return;
    var target = shown.range.getBoundingClientRect();
    var text = body.getBoundingClientRect();
    form.style.left = form.style.top = "0px";
    var origin = form.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var height = document.documentElement.clientHeight;
    var gap = 8;
    var left, top;
    if (width - text.right >= origin.width + 4 * gap) {
      left = text.right + 2 * gap;
      top = target.top;
    } else {
      left = Math.max(gap, Math.min(target.left, width - origin.width - gap));
      top = target.bottom + gap;
      if (top + origin.height > height - gap && target.top - gap - origin.height >= gap) top = target.top - gap - origin.height;
    }
    top = Math.max(gap, Math.min(top, height - origin.height - gap));
    form.style.left = left - origin.left + "px";
    form.style.top = top - origin.top + "px";
  }

  function hide() {
    form.hidden = true;
    hideSuggestions();
    if (highlight) highlight.clear();
    // Collapse rather than remove, so a caret-browsing reader keeps their place.
    var selection = window.getSelection();
    if (selection.rangeCount && !selection.isCollapsed) selection.collapseToEnd();
    if (form.contains(document.activeElement)) {
      (returnTo && returnTo.isConnected && returnTo !== document.body ? returnTo : body).focus();
    }
    returnTo = null;
  }

  function openForTyping() {
    var selection = currentSelection();
    if (selection) show(selection);
    if (form.hidden) { announce("Select words in the article first, then press t."); return; }
    if (!form.contains(document.activeElement)) returnTo = document.activeElement;
    wording.focus();
  }

  function update() {
    var selection = currentSelection();
    if (selection) show(selection);
    // A click elsewhere in the text closes a box nobody has written in yet.
    else if (!form.hidden && window.getSelection().isCollapsed && !form.contains(document.activeElement) &&
      wording.value === prefill && !tags.value.trim()) hide();
  }

  document.addEventListener("mouseup", function (event) {
    if (form.contains(event.target)) return;
    // The selection settles after mouseup (a click inside a selection collapses it only then).
    setTimeout(function () {
      update();
      // What the mouse selected shows as what will be tagged: whole words. (Not while selecting with the
      // keyboard, where moving the selection's ends would fight the next Shift+arrow.)
      var range = !form.hidden && shown && shown.range;
      if (range && !window.getSelection().isCollapsed) {
        window.getSelection().setBaseAndExtent(range.startContainer, range.startOffset, range.endContainer, range.endOffset);
      }
    }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (isTyping(event.target) || form.contains(event.target) || !/^(Shift|Arrow|Home|End|Page)/.test(event.key)) return;
    update();
  });
  window.addEventListener("resize", place);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    if (!form.hidden || !window.getSelection().isCollapsed) hide();
  });
  form.querySelector('[data-action="cancel"]').addEventListener("click", hide);
  // Clicking the box's text (not a control) puts the caret in the wording.
  form.addEventListener("click", function (event) {
    if (!event.target.closest("input, textarea, button, label, a, select, [role=option]")) {
      if (!form.contains(document.activeElement)) returnTo = document.activeElement;
      wording.focus();
    }
  });
  form.addEventListener("focusin", function (event) {
    if (!returnTo && event.relatedTarget && !form.contains(event.relatedTarget)) returnTo = event.relatedTarget;
  });

  // --- Submitting --------------------------------------------------------------------------------

  function setErrors(fieldErrors) {
    errors.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) { el.removeAttribute("aria-invalid"); });
    if (!fieldErrors) return;
    var firstInvalid = null;
    Object.keys(fieldErrors).forEach(function (name) {
      var field = name === "__all__" ? null : form.elements[name];
      var label = field && field.id && form.querySelector('label[for="' + field.id + '"]');
      if (field && field.type !== "hidden") {
        field.setAttribute("aria-invalid", "true");
        firstInvalid = firstInvalid || field;
      }
      [].concat(fieldErrors[name]).forEach(function (message) {
        var p = document.createElement("p");
        var text = typeof message === "string" ? message : message.message; // Django's get_json_data() shape too
        p.textContent = label ? label.firstChild.textContent.trim() + ": " + text : text;
        errors.appendChild(p);
      });
    });
    if (firstInvalid && form.contains(document.activeElement)) firstInvalid.focus();
  }

  function readJson(response) {
    return response.json().catch(function () { return null; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    submit.setAttribute("aria-disabled", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return readJson(response).then(function (data) {
          if (response.status === 201) return refresh(data || {});
          if (data && data.errors) return setErrors(data.errors);
          // No JSON: a CSRF failure page, a login redirect after the session ended, a server error.
          setErrors({ __all__: [response.status === 403 || response.redirected
            ? "Your session may have expired. Copy your wording, reload the page and try again."
            : "The claim could not be saved (server error " + response.status + "). Try again."] });
        });
      }, function () {
        setErrors({ __all__: ["The claim could not be sent: check your connection and try again."] });
      })
      .then(function () {
        busy = false;
        submit.removeAttribute("aria-disabled");
      });
  });

  // The claim exists: redraw the text and the claims panel from a fresh copy of this page.
  function refresh(claim) {
    var done = function () {
      shown = null;
      prefill = "";
      form.reset();
      setErrors(null);
      hide();
      var item = document.querySelector("#claim-item-" + claim.id + " a");
      (item || body).focus();
      announce("Claim tagged.");
      document.dispatchEvent(new CustomEvent("claim-tagged", { detail: { id: claim.id } }));
    };
    return fetch(location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["article-body", "claims-panel"].forEach(function (id) {
          var from = fresh.getElementById(id);
          var to = document.getElementById(id);
          if (from && to) to.innerHTML = from.innerHTML;
        });
        var options = fresh.getElementById("tag-options");
        if (options) known = Array.prototype.map.call(options.options, function (o) { return o.value; });
        done();
      }, function () {
        done();
        announce("Claim tagged. Reload the page to see it highlighted.");
      });
  }

  // --- Tag suggestions for the word after the last comma --------------------------------------------
  // An ARIA combobox: the datalist only ever matches the whole value, so it is replaced.

  var datalist = document.getElementById(tags.getAttribute("list"));
  var known = datalist ? Array.prototype.map.call(datalist.options, function (o) { return o.value; }) : [];
  var list = document.createElement("ul");
  var active = -1;
  list.id = "tag-suggestions";
  list.className = "tag-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Existing tags");
  list.hidden = true;
  tags.removeAttribute("list");
  tags.setAttribute("role", "combobox");
  tags.setAttribute("aria-autocomplete", "list");
  tags.setAttribute("aria-expanded", "false");
  tags.setAttribute("aria-controls", list.id);
  tags.insertAdjacentElement("afterend", list);

  function suggest(showAll) {
    var parts = tags.value.split(",");
    var token = parts.pop().trim().toLowerCase();
    var taken = parts.map(function (p) { return p.trim().toLowerCase(); });
    var matches = known.filter(function (tag) {
      var key = tag.toLowerCase();
      return taken.indexOf(key) < 0 && key !== token && key.indexOf(token) >= 0 && (token || showAll);
    }).sort(function (a, b) { // words starting with what was typed first
      return (a.toLowerCase().indexOf(token) !== 0) - (b.toLowerCase().indexOf(token) !== 0);
    }).slice(0, 8);
    list.textContent = "";
    active = -1;
    matches.forEach(function (tag, i) {
      var option = document.createElement("li");
      option.id = "tag-suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = tag;
      list.appendChild(option);
    });
    list.hidden = !matches.length;
    tags.setAttribute("aria-expanded", String(!list.hidden));
    tags.removeAttribute("aria-activedescendant");
    if (!list.hidden) {
      list.style.top = tags.offsetTop + tags.offsetHeight + 2 + "px";
      list.style.left = tags.offsetLeft + "px";
      list.style.width = tags.offsetWidth + "px";
    }
  }

  function hideSuggestions() {
    list.hidden = true;
    active = -1;
    tags.setAttribute("aria-expanded", "false");
    tags.removeAttribute("aria-activedescendant");
  }

  function setActive(index) {
    var options = list.children;
    if (!options.length) return;
    active = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, i) { option.setAttribute("aria-selected", String(i === active)); });
    tags.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function choose(tag) {
    var head = tags.value.slice(0, tags.value.lastIndexOf(",") + 1);
    tags.value = (head ? head.trim() + " " : "") + tag + ", ";
    hideSuggestions();
    tags.focus();
  }

  tags.addEventListener("input", function () { suggest(false); });
  tags.addEventListener("blur", hideSuggestions);
  tags.addEventListener("keydown", function (event) {
    var open = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) suggest(true);
      setActive(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault(); // pick the tag, do not submit
      choose(list.children[active].textContent);
    } else if (event.key === "Escape" && open) {
      event.preventDefault(); // close only the suggestions, not the box
      hideSuggestions();
    }
  });
  // mousedown, not click: the input must keep focus or blur would close the list first.
  list.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[role=option]");
    event.preventDefault();
    if (option) choose(option.textContent);
  });
})();
