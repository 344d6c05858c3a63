// "Select all on this page": a checkbox that ticks or clears every row checkbox named by its data-select-all.
// Without this file the rows are ticked one by one and the "select all" box stays hidden.

const bind = (toggle) => {
  if (toggle.dataset.bound) return;
  toggle.dataset.bound = "true";
  const name = toggle.dataset.selectAll;
  const scope = toggle.form ?? document;
  const boxes = () => [...scope.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"]`)];
  const reflect = () => {
    const all = boxes();
    const ticked = all.filter((box) => box.checked).length;
    toggle.checked = all.length > 0 && ticked === all.length;
    toggle.indeterminate = ticked > 0 && ticked < all.length;
  };
  toggle.addEventListener("change", () => {
    for (const box of boxes()) box.checked = toggle.checked;
  });
  scope.addEventListener("change", (event) => {
    if (event.target !== toggle && event.target.name === name) reflect();
  });
  reflect();
  toggle.removeAttribute("hidden");
};
const bindAll = () => document.querySelectorAll("input[type=checkbox][data-select-all]").forEach(bind);
bindAll();
// A results list that htmx replaced (the search narrows as it is typed) brings its own "select all" box.
document.body.addEventListener("htmx:afterSettle", bindAll);
