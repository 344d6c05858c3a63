// Small progressive enhancements; every page works without this file.

// Move focus to the error summary so screen-reader and keyboard users hear the problem first.
const summary = document.querySelector("[data-autofocus]");
if (summary) summary.focus();

// Buttons that ask for confirmation before a form is sent (e.g. "Unlock", "Remove role").
document.addEventListener("submit", (event) => {
  const question = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
