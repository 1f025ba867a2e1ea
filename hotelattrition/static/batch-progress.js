// Batch page: keep the progress bar and counts current without a reload. The page works
// without this script too (reload it to see the progress).
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var url = box.getAttribute("data-url");
  var bar = box.querySelector("progress");

  function show(state) {
    bar.max = Math.max(state.total, 1);
    bar.value = state.done + state.failed;
    ["done", "failed", "left"].forEach(function (name) {
      var cell = box.querySelector("[data-count='" + name + "']");
      if (cell) { cell.textContent = state[name]; }
    });
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        show(state);
        // Finished: reload once to list the failures and the results.
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
}());
