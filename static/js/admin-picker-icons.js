/* Django's picker of two lists (filter_horizontal: a group's permissions, an account's groups and
   permissions, admin/js/SelectFilter2.js) puts the words of each filter box's help on the magnifier
   beside it, an aria-label on a plain span, which ARIA forbids (a span has no name to give): the
   magnifier is named as the image it is, its words kept. Runs on the window's load, after Django's
   own handler there has built the pickers (that script, in the head, registered it first). */
(function () {
  "use strict";

  function nameIcons() {
    document.querySelectorAll(".selector .search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  window.addEventListener("load", nameIcons);
})();
