/* After a failed submit the error summary (templates/includes/error_summary.html) sits right under
   the page's heading. Moving the focus to it brings it into view on a phone and has a screen reader
   read it at once (the GOV.UK pattern); the summary has tabindex="-1" for this. Without
   JavaScript it is still the first thing after the heading.

   A link of the summary moves the focus to its field with the field's question in view: the
   browser alone would scroll the input to the top edge, with its label, hint and message above
   the screen. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var input = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!input) {
      return;
    }
    var group = input.closest("fieldset, .field");
    var question = group && (group.querySelector("legend") || group.querySelector("label"));
    if (!question) {
      return;
    }
    event.preventDefault();
    question.scrollIntoView();
    input.focus({preventScroll: true});
  });
})();
