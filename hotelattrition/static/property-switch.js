// New contract form: choosing another property reloads the form with its currency and default
// rates at once (the server keeps everything typed). Without this script the "Load its rates"
// button does the same, and saving with another property chosen shows its rates first.
(function () {
  "use strict";
  var select = document.getElementById("property");
  var button = document.getElementById("load-property");
  if (!select || !button || !select.form) { return; }
  button.remove();  // the change itself reloads
  select.addEventListener("change", function () {
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "property";
    select.form.appendChild(action);
    select.form.submit();
  });
}());
