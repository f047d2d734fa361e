/* Focus and announcements after an htmx update, and the error summary on load.

   The server marks what it sends back:
   - data-announce="…" on an element: its sentence is read once by the page's one
     polite live region (#announcer in base.html);
   - data-focus on the element that takes the focus when the control that caused
     the update is gone (a replaced button, a "next page" link). When that control
     is still there (a filter, a checkbox), the focus stays on it.
   Without JavaScript none of this is needed: every control is a plain link or form. */
(function () {
  "use strict";

  var added = [];
  var queued = false;
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    region.textContent = "";
    // A short pause, so that the same sentence twice in a row is read again.
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function focusOn(element) {
    if (!element.matches(FOCUSABLE)) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function findAdded(selector) {
    for (var i = 0; i < added.length; i++) {
      var element = added[i];
      if (!element.isConnected || element.nodeType !== 1) {
        continue;
      }
      if (element.matches(selector)) {
        return element;
      }
      var inner = element.querySelector(selector);
      if (inner) {
        return inner;
      }
    }
    return null;
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function settled() {
    queued = false;
    var said = findAdded("[data-announce]");
    if (said) {
      announce(said.getAttribute("data-announce"));
      said.removeAttribute("data-announce");
    }
    if (focusLost()) {
      var target = findAdded("[data-focus]");
      if (!target) {
        target = added.filter(function (e) { return e.isConnected && e.nodeType === 1; })[0];
      }
      if (target) {
        focusOn(target);
      }
    }
    added = [];
  }

  // htmx fires afterSettle on every element it put in; handle them together, once.
  document.addEventListener("htmx:afterSettle", function (event) {
    added.push(event.target);
    if (!queued) {
      queued = true;
      window.setTimeout(settled, 0);
    }
  });

  // The error summary has autofocus; where a browser skipped it, focus it here.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary && focusLost()) {
      summary.focus();
    }
  });

  // A link in the error summary puts the focus in its field, not only the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var label = document.querySelector('label[for="' + field.id + '"]');
      (label || field).scrollIntoView({block: "center"});
      field.focus({preventScroll: true});
    }
  });

  window.participatieAnnounce = announce;
})();
