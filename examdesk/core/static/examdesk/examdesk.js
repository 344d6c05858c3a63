// Small progressive enhancements; every page works without this file.

// Move focus to the error summary so screen-reader and keyboard users hear the problem first.
const summary = document.querySelector("[data-autofocus]");
if (summary) summary.focus();

// Buttons that ask for confirmation before a form is sent (e.g. "Unlock", "Remove role").
document.addEventListener("submit", (event) => {
  const question = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// The centre's menu folds behind a "Menu" button on phones (the stylesheet shows the button only there).
const nav = document.querySelector(".centre-nav");
const toggle = nav?.querySelector(".menu-toggle");
if (nav && toggle) {
  nav.classList.add("centre-nav--compact");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
  });
}

// A table wider than its region says so above it ("Scroll the table sideways…"), only while it is.
const showCues = () => {
  for (const region of document.querySelectorAll(".table-region")) {
    const cue = region.previousElementSibling;
    if (cue?.classList.contains("table-region__cue")) cue.hidden = region.scrollWidth <= region.clientWidth;
  }
};
showCues();
window.addEventListener("resize", showCues);

// A page that updates itself in place (the import's page while its job runs) moves focus to what appeared:
// the error summary when there is a problem, else the part marked data-focus-after-swap.
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target?.id !== "main") return;
  const found = document.querySelector("#main [data-autofocus], #main [data-focus-after-swap]");
  if (found) found.focus();
  showCues();
});
