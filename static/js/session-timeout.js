/* The idle timeout (SESSION_IDLE_TIMEOUT, accounts/middleware.py) ends a session no one uses, and
   what was being typed is lost with it. A few minutes before, this shows the footer's dialog
   (templates/includes/site_footer.html): "continue" posts to the keep-alive address and the clock
   starts again; Esc does the same; "log out" logs out. The server stamps activity at most once a
   minute ("precision"), so the warning comes that much early. Each page load in any tab of the
   portal is activity: the tabs share its time, so a tab left open is not warned while another is
   used. Without JavaScript (or <dialog>) nothing is shown and the timeout works as before. */
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

  function check() {
    var since = lastActivity();
    if (Date.now() < since + idle - precision - lead) {
      schedule();  // another tab was used meanwhile
    } else if (Date.now() >= since + idle) {
      // Ended: the page says so and leads to the login. Without the fragment (the skip link adds
      // "#noi-dung"): with it, this would only move within the page.
      window.location.assign(window.location.href.split("#")[0]);
    } else {
      if (!dialog.open) {
        dialog.showModal();
      }
      timer = window.setTimeout(check, since + idle - Date.now());
    }
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
    }).catch(function () {
      window.location.assign(window.location.href.split("#")[0]);
    });
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
