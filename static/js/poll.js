/* Pages that wait for work done in the background (a PDF being built) mark the waiting notice
   with data-poll="<seconds>". This script asks the server for the same page every few seconds,
   without reloading it, and reloads once the notice is gone (the work is done, failed or late),
   so the new state is shown and announced. Without JavaScript the notice offers a reload link.
   The visitor can stop the checks with the notice's button (WCAG 2.2.1). */
(function () {
  "use strict";
  var notice = document.querySelector("[data-poll]");
  if (!notice || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Math.max(Number(notice.getAttribute("data-poll")) || 5, 2);
  var maxChecks = Math.ceil(300 / seconds); // the server reports a build as late well before this
  var checks = 0;
  var timer = null;
  var stopped = false;
  var auto = notice.querySelector("[data-poll-auto]");
  var manual = notice.querySelector("[data-poll-manual]");
  var stop = notice.querySelector("[data-poll-stop]");

  function schedule() {
    if (!stopped && checks < maxChecks) {
      timer = window.setTimeout(check, seconds * 1000);
    } else if (manual) {
      manual.hidden = false;
      if (auto) { auto.hidden = true; }
    }
  }

  function check() {
    checks += 1;
    window.fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (stopped) { return; }
        if (html !== null) {
          var page = new window.DOMParser().parseFromString(html, "text/html");
          if (!page.querySelector("[data-poll]")) {
            window.location.reload();
            return;
          }
        }
        schedule();
      })
      .catch(schedule);
  }

  if (auto) { auto.hidden = false; }
  if (manual) { manual.hidden = true; }
  if (stop) {
    stop.addEventListener("click", function () {
      stopped = true;
      window.clearTimeout(timer);
      if (auto) { auto.hidden = true; }
      if (manual) { manual.hidden = false; manual.querySelector("a").focus(); }
    });
  }
  schedule();
}());
