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
const regions = [...document.querySelectorAll(".table-region")];
const showCues = () => {
  for (const region of regions) {
    const cue = region.previousElementSibling;
    if (cue?.classList.contains("table-region__cue")) cue.hidden = region.scrollWidth <= region.clientWidth;
  }
};
if (regions.length) {
  showCues();
  window.addEventListener("resize", showCues);
}
