// The questions editor: each question shows only the limits of its kind of answer
// (a list's choices, a text's length, a number's bounds, a file's size). Without
// this script every limit is shown, each saying which kind it is for.
(function () {
  "use strict";

  function showLimits(question) {
    var kind = question.querySelector("select[name$='-kind']");
    if (!kind) return;
    question.querySelectorAll("[data-campus-kinds]").forEach(function (limit) {
      var kinds = limit.getAttribute("data-campus-kinds").split(" ");
      limit.hidden = kinds.indexOf(kind.value) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-campus-question]").forEach(function (question) {
      showLimits(question);
      question.addEventListener("change", function (event) {
        if (event.target.matches("select[name$='-kind']")) showLimits(question);
      });
    });
  });
})();
