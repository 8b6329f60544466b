/* After a failed submit the error summary (templates/includes/error_summary.html) sits right under
   the page's heading. Moving the focus to it brings it into view on a phone and has a screen reader
   read it at once (the GOV.UK pattern); the summary has tabindex="-1" for this. Without
   JavaScript it is still the first thing after the heading. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
