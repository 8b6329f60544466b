/* A page reached after a step that went through (a filing sent or withdrawn, a login, a logout)
   says so in its messages box, right under the header. The focus moves there, so that a screen
   reader reads it at once (a status region that comes with the page is not announced) and the
   next Tab goes on from there. Not on a page that puts the focus elsewhere itself: its error
   summary (error-summary.js), a field marked autofocus, or the place its address points to. */
(function () {
  "use strict";
  var box = document.querySelector("[data-messages]");
  if (!box || location.hash || document.querySelector(".error-summary, [autofocus]")) {
    return;
  }
  if (document.activeElement && document.activeElement !== document.body) {
    return;
  }
  box.focus();
})();
