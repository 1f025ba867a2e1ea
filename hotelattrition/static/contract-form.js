// Contract form: live block totals and "fill row" without a round trip. The form works the
// same without this script (the buttons then ask the server).
(function () {
  "use strict";
  var grid = document.getElementById("block-grid");
  if (!grid) { return; }

  function rooms(input) {
    var value = (input.value || "").trim();
    return /^\d+$/.test(value) ? parseInt(value, 10) : 0;
  }

  function totals() {
    var foot = grid.tFoot && grid.tFoot.rows[0];
    if (!foot) { return; }
    var sums = [], all = 0;
    Array.prototype.forEach.call(grid.tBodies[0].rows, function (row) {
      Array.prototype.forEach.call(row.querySelectorAll("td:not(.fill) .cell.rooms input"), function (input, i) {
        sums[i] = (sums[i] || 0) + rooms(input);
        all += rooms(input);
      });
    });
    sums.forEach(function (sum, i) {
      if (foot.cells[i + 1]) { foot.cells[i + 1].textContent = sum; }
    });
    var overall = foot.cells[sums.length + 1];
    if (overall && overall.querySelector("strong")) { overall.querySelector("strong").textContent = all; }
  }

  grid.addEventListener("input", totals);
  grid.addEventListener("click", function (event) {
    var button = event.target.closest("button[value^='fill:']");
    if (!button) { return; }
    event.preventDefault();
    var row = button.closest("tr");
    var fillRooms = row.querySelector("td.fill .cell.rooms input").value;
    var fillRate = row.querySelector("td.fill .cell.rate input").value;
    row.querySelectorAll("td:not(.fill) .cell.rooms input").forEach(function (input) {
      if (fillRooms !== "") { input.value = fillRooms; }
    });
    row.querySelectorAll("td:not(.fill) .cell.rate input").forEach(function (input) {
      if (fillRate !== "") { input.value = fillRate; }
    });
    totals();
  });
})();
