/* The on-screen BHYT QR is signed for 10 minutes and the server makes a new one every 5: while the
   page is open, ask for the image again every data-qr-refresh seconds (the server answers with the
   current window's QR). Without JavaScript the page offers a reload link instead.
   Nobody needs to be at the page for these requests, so they are sent marked as the script's own
   (X-Requested-With: background, accounts/middleware.py): the server does not count them as activity,
   and the idle time-out ends the session of a page left open as it ends any other. Once that time-out
   has passed since the last activity in any tab of the portal (the time static/js/session-timeout.js
   keeps in localStorage, the time-out read from its dialog), no more are asked; they start again if
   another tab's activity kept the session going. While they are not asked, the note that says the code
   refreshes by itself says instead that it no longer does and to reload the page (its text the page's
   own, data-say-stopped, in the page's language); it comes back when they start again. A request the
   server answers with a redirect (the session ended, by the time-out or elsewhere) stops them and loads
   the page again, which leads to the login page saying why. */
(function () {
  "use strict";
  var image = document.querySelector("[data-qr-refresh]");
  if (!image || !window.fetch || !window.FileReader) { return; }
  var seconds = Math.max(Number(image.getAttribute("data-qr-refresh")) || 60, 15);
  var base = image.getAttribute("src").split("?")[0];
  var auto = document.querySelector("[data-qr-auto]");
  var manual = document.querySelector("[data-qr-manual]");
  var dialog = document.getElementById("het-phien");
  var idle = dialog ? Number(dialog.getAttribute("data-idle")) * 1000 : 0;
  var loadedAt = Date.now();
  var timer = null;
  var autoNote = auto ? auto.textContent : "";
  var stoppedNote = auto ? auto.getAttribute("data-say-stopped") || "" : "";
  if (auto) { auto.hidden = false; }
  if (manual) { manual.hidden = true; }

  function lastActivity() {
    var shared = 0;
    try {
      shared = Number(window.localStorage.getItem("vssid-last-activity")) || 0;
    } catch (error) { /* storage off: this page's load is the last activity known */ }
    return Math.max(loadedAt, shared);
  }

  function show(blob) {
    var reader = new window.FileReader();
    reader.onload = function () { image.src = reader.result; };  // a data: URL, which the CSP allows
    reader.readAsDataURL(blob);
  }

  function note(stopped) {
    var text = stopped ? stoppedNote : autoNote;
    if (auto && text && auto.textContent !== text) {
      auto.textContent = text;
      auto.classList.toggle("muted", !stopped);
    }
  }

  function refresh() {
    var stopped = Boolean(idle) && Date.now() >= lastActivity() + idle;
    note(stopped);
    if (stopped || document.hidden) { return; }
    window.fetch(base + "?t=" + Date.now(), {
      credentials: "same-origin", cache: "no-store", redirect: "manual",
      headers: {"X-Requested-With": "background"}
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        window.clearInterval(timer);
        // Without the fragment (the skip link adds "#noi-dung"): with it, this would only move within the page.
        window.location.assign(window.location.href.split("#")[0]);
        return null;
      }
      return response.ok ? response.blob() : null;
    }).then(function (blob) {
      if (blob) { show(blob); }
    }).catch(function () { /* no answer this time: the next minute asks again */ });
  }

  timer = window.setInterval(refresh, seconds * 1000);
}());
