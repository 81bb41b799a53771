// The roster: the page shows every input a team may fill (it works without JavaScript); here
// the empty tail is hidden behind «+ Добавить игрока», which reveals one more input at a time.
(function () {
  "use strict";
  function setUp(roster) {
    var rows = Array.prototype.slice.call(roster.querySelectorAll("[data-roster-row]"));
    var add = roster.querySelector("[data-roster-add]");
    if (!add || rows.length < 2) return;
    var min = parseInt(roster.getAttribute("data-min"), 10) || 1;
    var shown = Math.max(min, 1);
    rows.forEach(function (row, index) {
      var input = row.querySelector("input");
      var hasError = row.querySelector(".errorlist");
      if ((input && input.value.trim()) || hasError) shown = Math.max(shown, index + 1);
    });
    function render() {
      rows.forEach(function (row, index) { row.hidden = index >= shown; });
      add.hidden = shown >= rows.length;
    }
    add.querySelector("button").addEventListener("click", function () {
      shown = Math.min(shown + 1, rows.length);
      render();
      var input = rows[shown - 1].querySelector("input");
      if (input) input.focus();
    });
    render();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-roster]").forEach(setUp);
  });
})();
