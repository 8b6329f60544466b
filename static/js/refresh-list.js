/* A list whose choices hang on another select (province → ward) is refreshed as soon as that
   select changes: the page asks the server for the form again, as its "update the list" button
   does (templates/includes/refresh_list.html, data-refresh-from), and puts the new list's options
   in place of the old without reloading the page, so the focus stays where it was and nothing
   typed is lost. The button, which is what refreshes the list without JavaScript, is then hidden,
   and the list's hint no longer asks for it (data-refresh-hint). Should the server not answer,
   the button comes back. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-refresh-from]"), function (button) {
    var form = button.form;
    var source = form && form.elements.namedItem(button.getAttribute("data-refresh-from"));
    var list = form && form.elements.namedItem(button.getAttribute("data-refresh-list"));
    var holder = button.parentNode;
    if (!source || !list || source.tagName !== "SELECT" || list.tagName !== "SELECT") {
      return;
    }
    var hint = document.getElementById(list.id + "_helptext");
    if (hint && button.getAttribute("data-refresh-hint")) {
      hint.textContent = button.getAttribute("data-refresh-hint");
    }
    holder.hidden = true;
    var asked = 0;

    function failed() {
      list.removeAttribute("aria-busy");
      holder.hidden = false;
    }

    source.addEventListener("change", function () {
      var mine = ++asked;
      var body = new FormData(form);
      body.append(button.name, button.value);
      list.setAttribute("aria-busy", "true");
      fetch(form.action, {method: "POST", body: body, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (text) {
          if (mine !== asked) {
            return; // a later change has asked again: its answer is the one to show
          }
          var page = new DOMParser().parseFromString(text, "text/html");
          var fresh = page.querySelector("select[name='" + list.name + "']");
          if (!fresh) {
            throw new Error("no list");
          }
          list.innerHTML = fresh.innerHTML;
          list.removeAttribute("aria-busy");
        })
        .catch(function () {
          if (mine === asked) {
            failed();
          }
        });
    });
  });
})();
