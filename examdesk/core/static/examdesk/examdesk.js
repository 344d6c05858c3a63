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
