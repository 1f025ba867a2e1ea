// A "Copy" button beside a link's field: copies it to the clipboard. Without script, or
// without a clipboard (a page not over HTTPS), the button stays hidden: select and copy by hand.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = button.dataset.done;
    });
  });
});
