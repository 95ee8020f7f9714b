// Small behaviours hung on data-campus-* attributes; every page works without them.
(function () {
  "use strict";

  // Commune inputs: refresh the <datalist> suggestions as the person types.
  function attachCommuneSuggestions() {
    var list = document.querySelector("datalist[data-campus-suggest-url]");
    if (!list) return;
    var url = list.getAttribute("data-campus-suggest-url");
    var timer = null;
    document.addEventListener("input", function (event) {
      var input = event.target;
      if (input.getAttribute("list") !== list.id) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (input.value.length < 2) return;
        fetch(url + "?commune=" + encodeURIComponent(input.value), {headers: {"HX-Request": "true"}})
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) { list.innerHTML = html; });
      }, 200);
    });
  }

  // Forms marked data-campus-autosubmit refresh their results when a filter changes.
  function attachAutoSubmit() {
    document.querySelectorAll("form[data-campus-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.matches("select, input[type=checkbox], input[type=radio]")) {
          if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
        }
      });
    });
  }

  // After an htmx swap, move focus to the announced result count for screen readers.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.detail.target.querySelector("[data-campus-focus-after-swap]");
    if (status) status.focus({preventScroll: true});
  });

  document.addEventListener("DOMContentLoaded", function () {
    attachCommuneSuggestions();
    attachAutoSubmit();
  });
})();
