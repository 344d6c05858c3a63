// The student's display settings: text size (up to 400 %, the page reflows), a colour overlay, a contrast theme
// and a line reader. They start from the access arrangements centre staff set, and the student can change them
// in the settings panel; the player remembers the student's choice for the attempt (this device's storage).

const { gettext, interpolate } = window;

const SIZES = [100, 150, 200, 300, 400];
const OVERLAYS = [
  ["none", () => gettext("No overlay")],
  ["cream", () => gettext("Cream")],
  ["yellow", () => gettext("Yellow")],
  ["blue", () => gettext("Blue")],
  ["green", () => gettext("Green")],
  ["pink", () => gettext("Pink")],
];
const CONTRASTS = [
  ["standard", () => gettext("Standard")],
  ["dark", () => gettext("White on black")],
  ["yellow", () => gettext("Yellow on black")],
];

function key(attempt) {
  return `examdesk-player-display:${attempt}`;
}

function load(attempt) {
  try {
    const raw = window.localStorage.getItem(key(attempt));
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function remember(attempt, settings) {
  try {
    window.localStorage.setItem(key(attempt), JSON.stringify(settings));
  } catch {
    // Storage unavailable: the settings last until the page closes.
  }
}

export function forget(attempt) {
  try {
    window.localStorage.removeItem(key(attempt));
  } catch {
    // Nothing to do.
  }
}

// --- Line reader: a clear band across the page, the rest dimmed; it follows the pointer and the focus ---------

let band = null;

function moveBand(y) {
  if (band) band.style.top = `${Math.max(0, y - band.offsetHeight / 2)}px`;
}

function onPointer(event) {
  moveBand(event.clientY);
}

function onFocus(event) {
  const rect = event.target.getBoundingClientRect();
  moveBand(rect.top + rect.height / 2);
}

function lineReader(on) {
  if (on && !band) {
    band = document.createElement("div");
    band.className = "line-reader";
    band.setAttribute("aria-hidden", "true");
    document.body.append(band);
    moveBand(window.innerHeight / 3);
    document.addEventListener("pointermove", onPointer);
    document.addEventListener("focusin", onFocus);
  } else if (!on && band) {
    band.remove();
    band = null;
    document.removeEventListener("pointermove", onPointer);
    document.removeEventListener("focusin", onFocus);
  }
}

function apply(settings) {
  const html = document.documentElement;
  html.style.fontSize = settings.text_size === 100 ? "" : `${settings.text_size}%`;
  html.dataset.overlay = settings.overlay;
  html.dataset.contrast = settings.contrast;
  lineReader(settings.line_reader);
}

// --- The panel ------------------------------------------------------------------------------------------------

function radios(name, legend, options, current, change) {
  const fieldset = document.createElement("fieldset");
  fieldset.className = "form-group settings-group";
  const title = document.createElement("legend");
  title.className = "label";
  title.textContent = legend;
  fieldset.append(title);
  for (const [value, label] of options) {
    const id = `display-${name}-${value}`;
    const row = document.createElement("div");
    row.className = "choice";
    const input = document.createElement("input");
    Object.assign(input, { type: "radio", name: `display-${name}`, id, value: String(value) });
    input.checked = String(current) === String(value);
    input.addEventListener("change", () => change(value));
    const text = document.createElement("label");
    text.htmlFor = id;
    text.textContent = label;
    row.append(input, text);
    fieldset.append(row);
  }
  return fieldset;
}

// Build the settings panel in `container` and apply the settings: the student's own for this attempt, else the
// access arrangements' (`initial`, from the server).
export function setUp(container, attempt, initial) {
  const settings = {
    text_size: 100,
    overlay: "none",
    contrast: "standard",
    line_reader: false,
    ...initial,
    ...(load(attempt) || {}),
  };
  apply(settings);
  function change(name, value) {
    settings[name] = value;
    apply(settings);
    remember(attempt, settings);
  }
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "button button--secondary";
  toggle.id = "display-settings-toggle";
  toggle.textContent = gettext("Display settings");
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "display-settings");
  const panel = document.createElement("section");
  panel.id = "display-settings";
  panel.className = "panel settings-panel";
  panel.hidden = true;
  panel.setAttribute("aria-labelledby", "display-settings-heading");
  const heading = document.createElement("h2");
  heading.id = "display-settings-heading";
  heading.className = "settings-panel__heading";
  heading.textContent = gettext("Display settings");
  const sizes = SIZES.map((size) => [size, interpolate(gettext("%s %"), [size])]);
  const lineBox = document.createElement("div");
  lineBox.className = "choice";
  const line = document.createElement("input");
  Object.assign(line, { type: "checkbox", id: "display-line-reader", checked: settings.line_reader });
  line.addEventListener("change", () => change("line_reader", line.checked));
  const lineLabel = document.createElement("label");
  lineLabel.htmlFor = "display-line-reader";
  lineLabel.textContent = gettext("Line reader: a clear band that follows the pointer and the keyboard focus");
  lineBox.append(line, lineLabel);
  const close = document.createElement("button");
  close.type = "button";
  close.className = "button";
  close.textContent = gettext("Close display settings");
  panel.append(
    heading,
    radios("size", gettext("Text size"), sizes, settings.text_size, (value) => change("text_size", value)),
    radios("overlay", gettext("Colour overlay"), OVERLAYS.map(([v, l]) => [v, l()]), settings.overlay, (value) =>
      change("overlay", value),
    ),
    radios("contrast", gettext("Contrast"), CONTRASTS.map(([v, l]) => [v, l()]), settings.contrast, (value) =>
      change("contrast", value),
    ),
    lineBox,
    close,
  );
  function open(shown) {
    panel.hidden = !shown;
    toggle.setAttribute("aria-expanded", shown ? "true" : "false");
    if (shown) panel.querySelector("input:checked, input").focus();
    else toggle.focus();
  }
  toggle.addEventListener("click", () => open(panel.hidden));
  close.addEventListener("click", () => open(false));
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") open(false);
  });
  container.replaceChildren(toggle, panel);
  return settings;
}
