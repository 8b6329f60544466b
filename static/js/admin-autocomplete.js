/* The admin's autocomplete fields (Select2, vssid_portal.admin.PortalAutocompleteSelect) are named
   by the field's label, as the select they stand for is: Select2 names its combobox and the box
   showing the choice after the choice alone, so an empty one had no name at all and a filled one
   said "Nguyễn Văn A" without saying of what (WCAG 4.1.2). Runs after Django's autocomplete.js has
   built them, on the page and in each inline row added. */
(function ($) {
  "use strict";

  function name(select) {
    var label = select.labels && select.labels[0];
    var selection = $(select).next(".select2").find(".select2-selection");
    var shown = selection.find(".select2-selection__rendered");
    if (!label || !selection.length) {
      return;
    }
    label.id = label.id || select.id + "-label";
    selection.attr("aria-labelledby", label.id + " " + shown.attr("id"));
    shown.attr("aria-labelledby", label.id);
  }

  function nameAll(root) {
    $(root).find(".admin-autocomplete").not("[name*=__prefix__]").each(function () { name(this); });
  }

  $(function () { nameAll(document); });
  document.addEventListener("formset:added", function (event) { nameAll(event.target); });
})(django.jQuery);
