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

  // Forms marked data-campus-drop-empty leave their empty fields out of the address:
  // it then carries only the filters in use. `formdata` covers a plain submission,
  // htmx:configRequest the requests htmx builds.
  function isEmptyEntry(value) {
    return typeof value === "string" && value.trim() === "";
  }
  document.addEventListener("formdata", function (event) {
    if (!event.target.matches("form[data-campus-drop-empty]")) return;
    var empty = [];
    event.formData.forEach(function (value, name) { if (isEmptyEntry(value)) empty.push(name); });
    empty.forEach(function (name) {
      var kept = event.formData.getAll(name).filter(function (value) { return !isEmptyEntry(value); });
      event.formData.delete(name);
      kept.forEach(function (value) { event.formData.append(name, value); });
    });
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt.closest("form[data-campus-drop-empty]");
    if (!form) return;
    var parameters = event.detail.formData || event.detail.parameters;
    var empty = [];
    parameters.forEach(function (value, name) { if (isEmptyEntry(value)) empty.push(name); });
    empty.forEach(function (name) {
      var kept = parameters.getAll(name).filter(function (value) { return !isEmptyEntry(value); });
      parameters.delete(name);
      kept.forEach(function (value) { parameters.append(name, value); });
    });
  });

  // Typing replaces the address (hx-replace-url) and a submitted search pushes a new
  // entry. Before that push, the entry typing rewrote gets back the address of the
  // last submitted search, so Back returns to it rather than to half a word.
  var committedUrl = location.href;
  var drafting = false;
  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    if (event.detail.history.type === "push" && drafting) {
      history.replaceState({htmx: true}, "", committedUrl);
    }
  });
  document.addEventListener("htmx:replacedInHistory", function () { drafting = true; });
  document.addEventListener("htmx:pushedIntoHistory", function () {
    drafting = false;
    committedUrl = location.href;
  });
  window.addEventListener("popstate", function () {
    drafting = false;
    committedUrl = location.href;
  });

  // Enter pressed within the typing delay submits the search, then the delayed typing
  // request fires for the same words and, synchronised on the form, would abort the
  // submitted one and its history entry. A typing request that asks for what was
  // just submitted is dropped.
  var submittedSearch = null;
  function searchOf(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (elt.matches("form[data-campus-drop-empty]")) {
      submittedSearch = searchOf(elt);
    } else if (elt.hasAttribute("data-campus-typing")) {
      var form = elt.closest("form");
      if (form && searchOf(form) === submittedSearch) event.preventDefault();
      submittedSearch = null;
    }
  });

  // A page restored from htmx's history holds the fields as first rendered: give
  // them the values of the restored address.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(location.search);
    document.querySelectorAll("form[data-campus-drop-empty]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name) return;
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = params.getAll(field.name).indexOf(field.value) !== -1;
        } else if (field.type !== "submit" && field.type !== "button") {
          field.value = params.get(field.name) || "";
        }
      });
    });
  });

  // Below this width (campus.css: 50rem) the menu and the filters fold away.
  var narrow = window.matchMedia("(max-width: 50rem)");

  // The main menu: a button shows or hides it on small screens (campus.css). Without
  // JavaScript the button stays hidden and the menu open.
  function attachMenu() {
    var button = document.querySelector("[data-campus-menu-button]");
    var menu = document.querySelector("[data-campus-menu]");
    if (!button || !menu) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && narrow.matches) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // The filters: folded behind « Filtres (n) » on small screens, always open on
  // wide ones; the count follows the fields as the visitor changes them.
  function attachFilterPanels() {
    document.querySelectorAll("details[data-campus-filters]").forEach(function (details) {
      var count = details.querySelector("[data-campus-filter-count]");
      function filtersInUse() {
        var used = 0;
        details.querySelectorAll("input, select, textarea").forEach(function (field) {
          if (!field.name || field.name === "tri" || field.type === "submit") return;
          if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
          if (field.value && field.value.trim()) used += 1;
        });
        return used;
      }
      function fit() { details.open = !narrow.matches; }
      fit();
      narrow.addEventListener("change", fit);
      if (count) {
        details.addEventListener("input", function () { count.textContent = "(" + filtersInUse() + ")"; });
        details.addEventListener("change", function () { count.textContent = "(" + filtersInUse() + ")"; });
      }
    });
  }

  // « Copier le code » in an embed panel: the panel's [data-campus-copy-source];
  // without JavaScript the code stays selectable text. Listened on the document:
  // the panel comes back with htmx swaps of the results.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-campus-copy]");
    if (!button) return;
    var panel = button.closest(".embed-code");
    var field = panel && panel.querySelector("[data-campus-copy-source]");
    var status = panel && panel.querySelector("[data-campus-copy-status]");
    if (!field) return;
    function done(copied) {
      if (status) status.textContent = copied ? "Code copié." : "Sélectionnez le code et copiez-le.";
    }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
    } else {
      done(document.execCommand && document.execCommand("copy"));
    }
  });

  // Printed, a link to the site shows its full address, not only its path.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll('main a[href^="/"]').forEach(function (link) {
      link.setAttribute("data-campus-print-url", link.href);
    });
  });

  // After an htmx swap, move focus to the announced result count for screen readers.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.detail.target.querySelector("[data-campus-focus-after-swap]");
    if (status) status.focus({preventScroll: true});
  });

  document.addEventListener("DOMContentLoaded", function () {
    attachCommuneSuggestions();
    attachAutoSubmit();
    attachMenu();
    attachFilterPanels();
  });
})();
