// A table wider than its box scrolls inside it: such a box takes the keyboard focus (tabindex 0)
// so that it can be scrolled with the arrow keys too (WCAG 2.1.1), named after its section.
(function () {
  function mark() {
    document.querySelectorAll(".scroll, .tablewrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var heading = box.closest("section, .card, main").querySelector("h1, h2, h3, caption");
        if (heading) box.setAttribute("aria-label", heading.textContent.trim());
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
})();
