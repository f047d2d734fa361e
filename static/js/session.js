/* The log-in session's idle time-out: a warning before it ends, with a button to stay.

   <body data-session-remaining="seconds"> says how long the session has left when
   the page was made; every htmx answer says it again (X-Session-Remaining). The
   warning (#session-warning in base.html) shows data-session-warning seconds before
   the end. "Stay logged in" posts to data-session-refresh (with the CSRF token) and
   starts the count again. Without JavaScript there is no warning; a form sent after
   the end is kept and shown again after logging in (server side). */
(function () {
  "use strict";

  var body = document.body;
  var panel = document.getElementById("session-warning");
  if (!panel || !body.hasAttribute("data-session-remaining")) {
    return;
  }
  var lead = parseInt(body.getAttribute("data-session-warning"), 10) || 120;
  var ends = 0;
  var warnTimer = null;
  var endTimer = null;
  var text = panel.querySelector("[data-session-text]");
  var stay = panel.querySelector("[data-session-stay]");
  var login = panel.querySelector("[data-session-login]");

  function minutesLeft() {
    return Math.max(1, Math.ceil((ends - Date.now()) / 60000));
  }

  var shownTimer = null;
  var before = null;

  function warn() {
    var count = minutesLeft();
    text.textContent = (count === 1 ? panel.getAttribute("data-text-one") : panel.getAttribute("data-text-many")).replace("{num}", String(count));
    stay.hidden = false;
    login.hidden = true;
    if (panel.hidden) {
      before = document.activeElement;
      panel.hidden = false;
      stay.focus();
    }
    window.clearTimeout(shownTimer);
    shownTimer = window.setTimeout(warn, 15000);
  }

  function ended() {
    window.clearTimeout(shownTimer);
    text.textContent = panel.getAttribute("data-text-ended");
    var hadFocus = panel.contains(document.activeElement);
    stay.hidden = true;
    login.hidden = false;
    panel.hidden = false;
    if (hadFocus) {
      login.focus();
    }
  }

  function start(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearTimeout(shownTimer);
    var wasShown = !panel.hidden;
    ends = Date.now() + seconds * 1000;
    panel.hidden = true;
    if (wasShown && before && before.isConnected && before !== document.body) {
      before.focus();
    }
    warnTimer = window.setTimeout(warn, Math.max(0, seconds - lead) * 1000);
    endTimer = window.setTimeout(ended, Math.max(0, seconds) * 1000);
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  stay.addEventListener("click", function () {
    stay.disabled = true;
    fetch(body.getAttribute("data-session-refresh"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
    }).then(function (response) {
      return response.ok ? response.json() : {remaining: 0};
    }).then(function (answer) {
      if (answer.remaining > 0) {
        start(answer.remaining);
        window.participatieAnnounce && window.participatieAnnounce(panel.getAttribute("data-text-stayed"));
      } else {
        ended();
      }
    }).catch(function () {
      text.textContent = body.getAttribute("data-msg-network-error");
    }).finally(function () {
      stay.disabled = false;
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var seconds = xhr && parseInt(xhr.getResponseHeader("X-Session-Remaining"), 10);
    if (seconds > 0) {
      start(seconds);
    }
  });

  start(parseInt(body.getAttribute("data-session-remaining"), 10) || 0);
})();
