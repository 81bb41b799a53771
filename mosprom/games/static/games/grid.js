// The score grid: Enter moves to the same round of the next team (then to the top of the next
// round), like a spreadsheet; Tab keeps its usual order (the next round of the same team).
// Leaving a cell fires "change", on which htmx saves it. Without JavaScript the grid is one
// form saved by its button.
(function () {
  "use strict";
  function cellsOf(grid) {
    return Array.prototype.slice.call(grid.querySelectorAll("tbody tr")).map(function (row) {
      return Array.prototype.slice.call(row.querySelectorAll("input[data-grid-cell]"));
    });
  }
  function next(grid, input) {
    var rows = cellsOf(grid);
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c === -1) continue;
      if (r + 1 < rows.length) return rows[r + 1][c];
      return rows[0][c + 1] || null;
    }
    return null;
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("input[data-grid-cell]")) return;
    var grid = input.closest("[data-score-grid]");
    if (!grid) return;
    event.preventDefault(); // not the whole-grid submit: this cell is saved on change
    var target = next(grid, input);
    if (target) {
      target.focus();
    } else {
      input.blur();
    }
  });
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-grid-cell]") && input.select) {
      // Typing replaces the value, as in a spreadsheet.
      try { input.select(); } catch (e) { /* number inputs in some browsers */ }
    }
  });
})();
