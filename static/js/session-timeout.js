/* The idle timeout (SESSION_IDLE_TIMEOUT, accounts/middleware.py) ends a session no one uses, and
   what was being typed is lost with it. A few minutes before, this shows the footer's dialog
   (templates/includes/site_footer.html): "continue" posts to the keep-alive address and the clock
   starts again; Esc does the same; "log out" logs out. The server stamps activity at most once a
   minute ("precision"), so the warning comes that much early. Each page load in any tab of the
   portal is activity: the tabs share its time, so a tab left open is not warned while another is
   used. Without JavaScript (or <dialog>) nothing is shown and the timeout works as before.
   The session also ends SESSION_COOKIE_AGE after its login whatever the activity, which nothing
   extends: a few minutes before that end the second dialog says when it comes and to send or save
   what was typed, and closes (its button, Esc) returning the focus where it was. The page carries
   the seconds left when it was answered, added to this browser's clock whatever its error. Once that
   end comes before the idle one, the idle warning, whose "continue" could not go past it, is left out.
   When either end comes, the page is loaded anew: the portal, whose session has ended, leads to the
   login page saying why, instead of leaving the page open until its next click. */
(function () {
  "use strict";
  var dialog = document.getElementById("het-phien");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var KEY = "vssid-last-activity";
  var idle = Number(dialog.dataset.idle) * 1000;
  var lead = Number(dialog.dataset.lead) * 1000;
  var precision = Number(dialog.dataset.precision) * 1000;
  var form = dialog.querySelector("form[data-keepalive]");
  var activeAt = Date.now();
  var timer = null;
  var last = document.getElementById("cuoi-phien");
  var endsAt = last && last.dataset.endsIn ? activeAt + Number(last.dataset.endsIn) * 1000 : NaN;
  var endLead = last ? Number(last.dataset.lead) * 1000 : 0;
  var focusedBefore = null;
  var WARNED = "vssid-end-warned";

  function shared() {
    try {
      return Number(window.localStorage.getItem(KEY)) || 0;
    } catch (error) {
      return 0;
    }
  }

  function touch() {
    activeAt = Date.now();
    try {
      window.localStorage.setItem(KEY, String(activeAt));
    } catch (error) { /* storage off: this tab keeps its own time */ }
  }

  function lastActivity() {
    return Math.max(activeAt, shared());
  }

  function schedule() {
    window.clearTimeout(timer);
    var warnAt = lastActivity() + idle - precision - lead;
    timer = window.setTimeout(check, Math.max(warnAt - Date.now(), 0));
  }

  // Ended: the page says so and leads to the login. Without the fragment (the skip link adds
  // "#noi-dung"): with it, this would only move within the page.
  function reload() {
    window.location.assign(window.location.href.split("#")[0]);
  }

  function check() {
    var since = lastActivity();
    if (Date.now() < since + idle - precision - lead) {
      schedule();  // another tab was used meanwhile
    } else if (Date.now() >= since + idle) {
      reload();
    } else {
      if (!dialog.open && !(endsAt <= since + idle)) {
        dialog.showModal();
      }
      timer = window.setTimeout(check, since + idle - Date.now());
    }
  }

  // The absolute end: warned once per session, in the first tab to reach the time (the others,
  // and the pages loaded after it, know it was warned of by the end it named, give or take the
  // lead: another login's end is that close only for a login that ended this one before its warning).
  function warnOfEnd() {
    var warned = 0;
    try {
      warned = Number(window.localStorage.getItem(WARNED)) || 0;
    } catch (error) { /* storage off: each page warns */ }
    if (Math.abs(warned - endsAt) < endLead || Date.now() >= endsAt) {
      return;
    }
    try {
      window.localStorage.setItem(WARNED, String(endsAt));
    } catch (error) { /* storage off: each page warns */ }
    if (dialog.open) {
      dialog.close();
    }
    focusedBefore = document.activeElement;
    last.showModal();
  }

  if (last && isFinite(endsAt)) {
    last.addEventListener("close", function () {
      if (focusedBefore && focusedBefore !== document.body && document.contains(focusedBefore)) {
        focusedBefore.focus();
      }
    });
    window.setTimeout(warnOfEnd, Math.max(endsAt - endLead - Date.now(), 0));
    // A second after the end: the seconds left were told whole, rounded down, so that the server has
    // ended the session when the page asks again (else it would be loaded anew again and again).
    window.setTimeout(reload, Math.max(endsAt + 1000 - Date.now(), 0));
  }

  function keepAlive() {
    window.fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}, redirect: "manual"
    }).then(function (response) {
      if (response.status !== 204) {
        throw new Error("ended");
      }
      touch();
      dialog.close();
      schedule();
    }).catch(reload);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    keepAlive();
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepAlive();
  });
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && dialog.open && lastActivity() + idle - precision - lead > Date.now()) {
      dialog.close();  // continued in another tab
      schedule();
    }
  });
  touch();
  schedule();
})();
