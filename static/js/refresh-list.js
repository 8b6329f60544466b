/* A list whose choices hang on another select (province → ward) is refreshed as soon as that
   select changes: the page asks the server for the form again, as its "update the list" button
   does (templates/includes/refresh_list.html, data-refresh-from), and puts the new list's options
   in place of the old without reloading the page (a GET form, such as a public search, is asked
   for by its query, as the button would send it), so the focus stays where it was and nothing
   typed is lost. The button, which is what refreshes the list without JavaScript, is then hidden,
   and the list's hint no longer asks for it (data-refresh-hint). Should the server not answer,
   the button comes back. A page loaded again or come back to by Back whose select the browser put
   back as chosen before, without telling it changed (Firefox, Chromium), would keep the list the
   server sent for the select as it sent it, with the button hidden: the list is then refreshed
   once, on arrival or when the page is shown again (pageshow), for the select as it now stands.
   The browser cannot put back a choice in a list that does not hold it (the list the server sent
   was made for the select as it stood then, and a page marked no-store is loaded again, not kept
   as it was): the list's choice is remembered in the page's own history entry (history.state, with
   the select it was made for), and the list refreshed then keeps it, or the one the browser put
   back, while it is in the list. A choice made while a list is asked is kept too if it is in the
   list that comes. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData || !window.URLSearchParams) {
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
    var hintWithButton = hint && hint.textContent;  // the server's, which asks for the button
    if (hint && button.getAttribute("data-refresh-hint")) {
      hint.textContent = button.getAttribute("data-refresh-hint");
    }
    holder.hidden = true;
    var asked = 0;

    // The list was not refreshed (no answer, a limit, an error): the button comes back and the hint
    // asks for it again, instead of saying the list is the chosen province's while it is not.
    function failed() {
      list.removeAttribute("aria-busy");
      holder.hidden = false;
      if (hint) {
        hint.textContent = hintWithButton;
      }
    }

    function chosenByServer() {
      for (var index = 0; index < source.options.length; index++) {
        if (source.options[index].defaultSelected) {
          return source.options[index].value;
        }
      }
      return source.options.length ? source.options[0].value : "";
    }
    var listFor = chosenByServer(); // the value of the select the list shown was made for

    var remembered = "refresh-list:" + list.name;

    function remember() {
      var state = history.state && typeof history.state === "object" ? history.state : {};
      var entry = {};
      entry[remembered] = {from: source.value, chosen: list.value};
      try {
        history.replaceState(Object.assign({}, state, entry), "");
      } catch (error) {
        // not remembered: the choice is then kept only where the browser keeps it
      }
    }

    function choiceToKeep(putBack) {
      var state = history.state && history.state[remembered];
      if (list.value) {
        return list.value; // chosen meanwhile, or put back by the browser in the list as the server sent it
      }
      return putBack && state && state.from === source.value ? state.chosen : "";
    }

    // A GET form (a public search) is asked for by its query, as its button sends it.
    var byGet = (form.getAttribute("method") || "get").toLowerCase() === "get";

    function askedFor(body) {
      if (!byGet) {
        return form.action;
      }
      var url = new URL(button.formAction || form.action, window.location.href);
      url.search = new URLSearchParams(body).toString();
      url.hash = "";
      return url.href;
    }

    function refresh(putBack) {
      var mine = ++asked;
      var body = new FormData(form);
      body.append(button.name, button.value);
      listFor = source.value;
      list.setAttribute("aria-busy", "true");
      // Marked as the script's (X-Requested-With): a form answers with the list and keeps nothing, as
      // what is typed after it on this page would not be kept (vssid_portal/forms/kept.py refreshed_by_script).
      var headers = {"X-Requested-With": "refresh-list"};
      fetch(askedFor(body), byGet ? {credentials: "same-origin", headers: headers}
                                  : {method: "POST", body: body, credentials: "same-origin", headers: headers})
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
          var kept = choiceToKeep(putBack === true);
          list.innerHTML = fresh.innerHTML;
          if (kept && Array.prototype.some.call(list.options, function (option) { return option.value === kept; })) {
            list.value = kept;
          }
          remember();
          list.removeAttribute("aria-busy");
          if (hint && button.getAttribute("data-refresh-hint")) {
            hint.textContent = button.getAttribute("data-refresh-hint");
          }
        })
        .catch(function () {
          if (mine === asked) {
            failed();
          }
        });
    }

    function refreshIfPutBack() {
      if (source.value !== listFor) {
        refresh(true);
      }
    }

    source.addEventListener("change", refresh);
    list.addEventListener("change", remember);
    window.addEventListener("pageshow", refreshIfPutBack);
    refreshIfPutBack();
  });
})();
