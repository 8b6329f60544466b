/* Pages that wait for work done in the background (a PDF being built) mark the waiting notice
   with data-poll="<seconds>". This script asks the server for the same page every few seconds,
   without reloading it, and once the notice is gone (the work is done, failed or late) puts the
   new page's content in place of the old and says what changed in a status region made when the
   page loaded: a screen reader announces a change to a live region it already knows, not one
   that a reload brings with the page. Without JavaScript the notice offers a reload link.
   The visitor can stop the checks with the notice's button (WCAG 2.2.1). */
(function () {
  "use strict";
  var notice = document.querySelector("[data-poll]");
  var main = document.querySelector("main");
  if (!notice || !main || !window.fetch || !window.DOMParser) {
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
  var announcer = document.createElement("div");
  announcer.setAttribute("role", "status");
  announcer.className = "visually-hidden";
  document.body.appendChild(announcer);

  function squash(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  // The top-level blocks of a page's content (inside its container), scripts aside.
  function blocks(root) {
    var box = root.querySelector(".container") || root;
    return Array.prototype.filter.call(box.children, function (block) { return block.tagName !== "SCRIPT"; });
  }

  // The first block of the new content that the old one did not show: what the visitor waited for.
  function news(fresh) {
    var before = blocks(main).map(function (block) { return squash(block.textContent); });
    var found = blocks(fresh).filter(function (block) { return before.indexOf(squash(block.textContent)) < 0; })[0];
    return found ? squash(found.textContent) : "";
  }

  // Where the focus goes back to once the content is new: the same element (same id, or a link to
  // the same address) if the new content has it, else the content itself, not the page's start.
  function refocus(id, href) {
    var again = id ? document.getElementById(id) : null;
    if (!again && href && window.CSS && window.CSS.escape) {
      again = main.querySelector('a[href="' + window.CSS.escape(href) + '"]');
    }
    (again || main).focus({ preventScroll: true });
  }

  function show(page) {
    var fresh = page.querySelector("main");
    if (!fresh) {
      window.location.reload();
      return;
    }
    var said = news(fresh);
    var focused = document.activeElement;
    var hadFocus = focused !== main && main.contains(focused);
    main.innerHTML = fresh.innerHTML; // the server's own page; scripts put in this way do not run
    document.title = page.title || document.title;
    if (hadFocus) {
      refocus(focused.id, focused.getAttribute("href"));
    }
    announcer.textContent = said;
  }

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
    // A redirect is not followed here: it would be this check that reads the page it leads to, and
    // with it the message that says why (the session ended elsewhere or timed out).
    // X-Requested-With tells a page with a limit on lookups (a statement's public check page) that
    // this is the waiting page's check, not a new lookup.
    window.fetch(window.location.href, {
      credentials: "same-origin", cache: "no-store", redirect: "manual", headers: {"X-Requested-With": "poll"}
    })
      .then(function (response) {
        if (response.type === "opaqueredirect") {  // the session ended meanwhile: go where the portal sends
          stopped = true;
          // Without the fragment (the skip link adds "#noi-dung"): with it, this would only move within the page.
          window.location.assign(window.location.href.split("#")[0]);
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (stopped) { return; }
        if (html !== null) {
          var page = new window.DOMParser().parseFromString(html, "text/html");
          if (!page.querySelector("[data-poll]")) {
            show(page);
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
