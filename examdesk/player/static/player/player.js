// The test player. Every answer is written at once to this device's storage and queued to the server in order;
// the queue is retried with backoff until the server has it. After a refresh or a crash, entering the code again
// resumes the section where it was (server and device answers merged by sequence number). If the section ends
// while offline, a response code carries the answers by hand.

import { HttpError, backoff, client, isConnectionError } from "./net.js";
import { responseCode } from "./response-code.js";
import * as store from "./store.js";

const root = document.getElementById("player");
const banner = document.getElementById("connection");
const announcer = document.getElementById("announcer");
const api = client(root.dataset.api, root.dataset.csrf);
const attemptId = Number(root.dataset.attempt);

const OFFLINE = "You are offline. Your answers are kept on this device and will be sent when the connection returns.";
const NUMBER = /^-?\d+([.,]\d+)?$/;

const app = {
  overview: null,
  section: null,
  title: "",
  instructions: "",
  items: [],
  audioUrl: null,
  audio: null,
  local: null,
  index: 0,
  screen: "",
  deadline: null,
  announced: new Set(),
  online: true,
  sending: false,
  retries: 0,
  retryTimer: null,
  heartbeatTimer: null,
  clockTimer: null,
  submitted: false,
  stopped: false,
  code: "",
};

// --- Small DOM helpers ------------------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// replaceChildren writes null as the text "null": a screen's optional parts (no audio, no instructions) are left
// out instead.
function present(children) {
  return children.flat().filter((child) => child !== null && child !== undefined && child !== false);
}

function show(screen, ...children) {
  app.screen = screen;
  root.replaceChildren(...present(children));
  const heading = root.querySelector("h2");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

function button(text, handler, kind = "") {
  return el("button", { type: "button", class: `button ${kind}`.trim(), on: { click: handler } }, text);
}

function announce(text) {
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

// An author's text as paragraphs: a blank line starts a new one; a single line break is where the author's editor
// wrapped the line, so it flows as a space and the text reflows to any width.
function paragraphs(text) {
  return String(text)
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean)
    .map((block) => el("p", {}, block));
}

// --- Connection -------------------------------------------------------------------------------------------------

function setOnline(online) {
  if (app.online === online) return;
  app.online = online;
  banner.replaceChildren(...(online ? [] : [el("p", { class: "notice notice--warning" }, OFFLINE)]));
}

function persist() {
  if (app.local && app.section !== null) store.save(attemptId, app.section, app.local);
}

function scheduleRetry() {
  window.clearTimeout(app.retryTimer);
  app.retryTimer = window.setTimeout(pump, backoff(app.retries));
  app.retries += 1;
}

function contact(data) {
  setOnline(true);
  app.retries = 0;
  if (data && typeof data.time_left === "number") {
    app.deadline = performance.now() + data.time_left * 1000;
    tick();
  }
  if (data && data.time_up) endSection();
}

function stop(error) {
  app.stopped = true;
  window.clearInterval(app.heartbeatTimer);
  window.clearInterval(app.clockTimer);
  if (error instanceof HttpError && error.status === 409 && error.data.finished) {
    showFinished();
    return;
  }
  show(
    "stopped",
    el("h2", {}, "Type your access code again"),
    el("p", {}, (error && error.message) || "Your session has ended."),
    el("p", {}, "Your answers are kept on this device: when you type your code again you carry on where you were."),
    el("p", {}, el("a", { class: "button", href: root.dataset.codeUrl }, "Type your access code")),
  );
}

// Send the queued saves in order, one at a time; then, when the section has ended, submit it.
async function pump() {
  if (app.sending || app.stopped || app.submitted || !app.local) return;
  app.sending = true;
  window.clearTimeout(app.retryTimer);
  try {
    while (app.local.queue.length) {
      const save = app.local.queue[0];
      try {
        const data = await api.post(`sections/${app.section}/save/`, save);
        app.local.queue = app.local.queue.filter((queued) => queued.seq !== save.seq);
        persist();
        contact(data);
      } catch (error) {
        if (isConnectionError(error)) {
          setOnline(false);
          if (app.local.ended) await showCode();
          scheduleRetry();
          return;
        }
        if (error.status === 409 && error.data.ended) {
          sentByServer();
          return;
        }
        if (error.status === 400) {
          app.local.queue = app.local.queue.filter((queued) => queued.seq !== save.seq);
          persist();
          continue;
        }
        stop(error);
        return;
      }
    }
    if (app.local.ended) await submit();
  } finally {
    app.sending = false;
  }
}

async function submit() {
  const answers = Object.entries(app.local.answers).map(([item, entry]) => ({
    item: Number(item),
    answer: entry.answer,
    seq: entry.seq,
  }));
  try {
    const data = await api.post(`sections/${app.section}/submit/`, { answers, seq: app.local.seq });
    contact(null);
    app.submitted = true;
    store.forget(attemptId, app.section);
    showSent(data.next, data.finished);
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      await showCode();
      scheduleRetry();
    } else if (error.status === 409 && error.data.ended) {
      sentByServer();
    } else {
      stop(error);
    }
  }
}

async function sentByServer() {
  app.submitted = true;
  store.forget(attemptId, app.section);
  try {
    const overview = await api.get("state/");
    showSent(overview.current, overview.current === null);
  } catch (error) {
    stop(error);
  }
}

function heartbeat() {
  if (app.sending || app.stopped || app.submitted || !app.local || app.local.ended || app.local.queue.length) return;
  api.post(`sections/${app.section}/heartbeat/`).then(contact, (error) => {
    if (isConnectionError(error)) setOnline(false);
    else if (error.status === 409 && error.data.ended) sentByServer();
    else stop(error);
  });
}

// --- Answers ----------------------------------------------------------------------------------------------------

function answerOf(itemId) {
  const entry = app.local.answers[String(itemId)];
  return entry ? entry.answer : null;
}

function isAnswered(itemId) {
  const answer = answerOf(itemId);
  return !(answer === null || answer === "" || (Array.isArray(answer) && answer.length === 0));
}

function answer(itemId, value) {
  if (app.local.ended) return;
  app.local.seq += 1;
  const seq = app.local.seq;
  app.local.answers[String(itemId)] = { answer: value, seq, at: Math.floor(Date.now() / 1000) };
  app.local.queue = app.local.queue.filter((queued) => queued.item !== itemId);
  app.local.queue.push({ item: itemId, answer: value, seq });
  persist();
  markNav(itemId);
  pump();
}

// --- Timer ------------------------------------------------------------------------------------------------------

function format(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, "0")}`;
}

function tick() {
  if (app.deadline === null || !app.local) return;
  const left = Math.max(0, (app.deadline - performance.now()) / 1000);
  const clock = document.getElementById("timer-value");
  if (clock) clock.textContent = format(left);
  for (const [mark, text] of [
    [300, "5 minutes left in this section."],
    [60, "1 minute left in this section."],
  ]) {
    if (left <= mark && left > 0 && !app.announced.has(mark)) {
      app.announced.add(mark);
      if (left > mark - 30) announce(text);
    }
  }
  if (left <= 0 && !app.local.ended) endSection();
}

function endSection() {
  if (!app.local || app.local.ended || app.submitted) return;
  app.local.ended = true;
  persist();
  window.clearInterval(app.clockTimer);
  show("sending", el("h2", {}, "Sending your answers"), el("p", {}, "Keep this page open."));
  pump();
}

// --- Screens ----------------------------------------------------------------------------------------------------

function timerBlock() {
  if (app.deadline === null) return null;
  return el(
    "p",
    { class: "player-timer" },
    "Time left: ",
    el("strong", { id: "timer-value" }, format((app.deadline - performance.now()) / 1000)),
  );
}

function bar() {
  return el("div", { class: "player-bar" }, el("p", { class: "player-bar__section" }, app.title), timerBlock());
}

function nav() {
  return el(
    "nav",
    { "aria-label": "Questions" },
    el(
      "ol",
      { class: "item-nav" },
      app.items.map((item, index) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: `item-nav__button${isAnswered(item.id) ? " item-nav__button--answered" : ""}`,
              "aria-current": index === app.index ? "step" : null,
              "data-item": item.id,
              on: { click: () => showItem(index) },
            },
            String(index + 1),
            el("span", { class: "visually-hidden" }, isAnswered(item.id) ? ", answered" : ", not answered"),
          ),
        ),
      ),
    ),
  );
}

function markNav(itemId) {
  const navButton = root.querySelector(`.item-nav [data-item="${itemId}"]`);
  if (!navButton) return;
  const answered = isAnswered(itemId);
  navButton.classList.toggle("item-nav__button--answered", answered);
  navButton.querySelector(".visually-hidden").textContent = answered ? ", answered" : ", not answered";
}

function audioBlock() {
  if (!app.audio) {
    app.audio = el("audio", { controls: true, preload: "none", src: app.audioUrl, "aria-label": "Recording" });
    app.audio.addEventListener("error", () => {
      const status = document.getElementById("audio-status");
      if (status) status.textContent = "The recording could not be loaded. Tell your teacher.";
    });
  }
  const status = el("p", { class: "hint", id: "audio-status", role: "status" });
  const play = button(
    "Play the recording",
    async () => {
      try {
        await app.audio.play();
        status.textContent = "Playing the recording.";
      } catch (error) {
        status.textContent =
          error && error.name === "NotAllowedError"
            ? "Your browser blocked the sound. Press play on the recording above, or ask your teacher to allow sound for this website."
            : "The recording could not be played. Tell your teacher.";
      }
    },
    "button--secondary",
  );
  return el("div", { class: "player-audio" }, app.audio, el("div", { class: "button-group" }, play), status);
}

function field(item) {
  const id = `answer-${item.id}`;
  const current = answerOf(item.id);
  if (item.kind === "single" || item.kind === "multiple") {
    const multiple = item.kind === "multiple";
    const chosen = new Set(multiple ? current || [] : current ? [current] : []);
    return el(
      "fieldset",
      { class: "form-group choices" },
      el("legend", { class: "label" }, item.prompt),
      multiple ? el("p", { class: "hint", id: `${id}-hint` }, "Choose all that apply.") : null,
      item.options.map((option) => {
        const input = el("input", {
          type: multiple ? "checkbox" : "radio",
          name: id,
          id: `${id}-${option.id}`,
          value: option.id,
          checked: chosen.has(option.id),
        });
        input.addEventListener("change", () => {
          if (multiple) {
            const values = [...root.querySelectorAll(`input[name="${id}"]:checked`)].map((box) => box.value);
            answer(item.id, values.sort());
          } else {
            answer(item.id, input.value);
          }
        });
        return el(
          "div",
          { class: "choice" },
          input,
          el("label", { for: `${id}-${option.id}` }, option.text),
        );
      }),
    );
  }
  const numeric = item.kind === "numeric";
  const error = el("p", { class: "error-message", id: `${id}-error`, hidden: true }, "Enter a number, for example 3.5");
  const input = el("input", {
    type: "text",
    id,
    name: id,
    value: current || "",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: numeric ? 40 : 500,
    inputmode: numeric ? "decimal" : null,
    class: numeric ? "input--short" : null,
    "aria-describedby": numeric ? `${id}-hint` : null,
  });
  const group = el(
    "div",
    { class: "form-group" },
    el("label", { class: "label", for: id }, item.prompt),
    numeric ? el("p", { class: "hint", id: `${id}-hint` }, "Type a number. Use a point for decimals, for example 3.5") : null,
    numeric ? error : null,
    input,
  );
  function validate() {
    if (!numeric) return;
    const value = input.value.trim();
    const wrong = value !== "" && !NUMBER.test(value);
    error.hidden = !wrong;
    group.classList.toggle("form-group--error", wrong);
    input.setAttribute("aria-invalid", wrong ? "true" : "false");
    input.setAttribute("aria-describedby", wrong ? `${id}-hint ${id}-error` : `${id}-hint`);
  }
  input.addEventListener("input", () => {
    answer(item.id, numeric ? input.value.trim() : input.value);
    if (numeric && !error.hidden) validate();
  });
  input.addEventListener("change", validate);
  validate();
  return group;
}

function showItem(index) {
  app.index = Math.max(0, Math.min(index, app.items.length - 1));
  app.local.index = app.index;
  persist();
  const item = app.items[app.index];
  const last = app.index === app.items.length - 1;
  show(
    "item",
    bar(),
    nav(),
    el("h2", { id: "item-heading" }, `Question ${app.index + 1} of ${app.items.length}`),
    app.instructions ? el("div", { class: "panel player-instructions" }, paragraphs(app.instructions)) : null,
    item.uses_audio && app.audioUrl ? audioBlock() : null,
    field(item),
    el(
      "div",
      { class: "button-group" },
      app.index > 0 ? button("Previous", () => showItem(app.index - 1), "button--secondary") : null,
      last ? button("Review answers", showReview) : button("Next", () => showItem(app.index + 1)),
    ),
    last ? null : el("p", {}, el("button", { type: "button", class: "link-button", on: { click: showReview } }, "Review answers")),
  );
}

function showReview() {
  const unanswered = app.items.filter((item) => !isAnswered(item.id)).length;
  show(
    "review",
    bar(),
    el("h2", {}, "Check your answers"),
    el(
      "p",
      {},
      unanswered
        ? `You have answered ${app.items.length - unanswered} of ${app.items.length} questions. ${unanswered} not answered.`
        : `You have answered all ${app.items.length} questions.`,
    ),
    el(
      "ul",
      { class: "review-list" },
      app.items.map((item, index) =>
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", class: "link-button", on: { click: () => showItem(index) } },
            `Question ${index + 1}`,
          ),
          " ",
          isAnswered(item.id)
            ? el("span", { class: "tag tag--green" }, "Answered")
            : el("span", { class: "tag tag--red" }, "Not answered"),
        ),
      ),
    ),
    el(
      "div",
      { class: "button-group" },
      button("Back to the questions", () => showItem(app.index), "button--secondary"),
      button("Submit section", () => showConfirm(unanswered)),
    ),
  );
}

function showConfirm(unanswered) {
  show(
    "confirm",
    bar(),
    el("h2", {}, "Submit this section?"),
    unanswered ? el("p", { class: "notice notice--warning" }, `You have not answered ${unanswered} ${unanswered === 1 ? "question" : "questions"}.`) : null,
    el("p", {}, "You cannot change your answers after you submit."),
    el(
      "div",
      { class: "button-group" },
      button("Yes, submit this section", endSection),
      button("No, go back to my answers", showReview, "button--secondary"),
    ),
  );
}

async function showCode() {
  if (app.screen === "code" || app.submitted) return;
  const answers = {};
  const answeredAt = {};
  for (const [item, entry] of Object.entries(app.local.answers)) {
    if (entry.answer !== null && entry.answer !== "" && !(Array.isArray(entry.answer) && entry.answer.length === 0)) {
      answers[item] = entry.answer;
      if (entry.at) answeredAt[item] = entry.at;
    }
  }
  app.code = await responseCode({
    attempt: attemptId,
    section: app.section,
    token: app.local.token,
    answers,
    answeredAt,
    seq: app.local.seq,
  });
  if (app.submitted) return;
  const status = el("p", { role: "status", class: "hint", id: "code-status" });
  const text = el("textarea", { id: "response-code", readonly: true, rows: 6, class: "response-code", spellcheck: "false" });
  text.value = app.code;
  const fileName = `exd-${attemptId}-${app.section}.txt`;
  show(
    "code",
    el("h2", {}, "Your answers are kept on this device"),
    el("p", {}, "The section has ended, but the server cannot be reached. Keep this page open: your answers will be sent as soon as the connection returns."),
    el("p", {}, "If the connection does not return, copy the response code or download it as a file, and give it to your teacher. It holds your answers for this section."),
    el("div", { class: "form-group" }, el("label", { class: "label", for: "response-code" }, "Response code"), text),
    el(
      "div",
      { class: "button-group" },
      button(
        "Copy to clipboard",
        async () => {
          try {
            await navigator.clipboard.writeText(app.code);
          } catch {
            text.select();
            document.execCommand("copy");
          }
          status.textContent = "The response code was copied.";
        },
        "button--secondary",
      ),
      button(
        "Download as a file",
        () => {
          const url = URL.createObjectURL(new Blob([`${app.code}\n`], { type: "text/plain" }));
          const link = el("a", { href: url, download: fileName, hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
          window.setTimeout(() => URL.revokeObjectURL(url), 10000);
          status.textContent = `The response code was saved as ${fileName}.`;
        },
        "button--secondary",
      ),
    ),
    status,
  );
}

function showSent(next, finished) {
  window.clearInterval(app.heartbeatTimer);
  window.clearInterval(app.clockTimer);
  if (finished || next === null || next === undefined) {
    showFinished();
    return;
  }
  show(
    "sent",
    el("h2", {}, "Section sent"),
    el("p", {}, `Your answers for ${app.title} were sent.`),
    el("div", { class: "button-group" }, button("Go to the next section", () => boot())),
  );
}

function showFinished() {
  show(
    "finished",
    el("h2", {}, "You have finished"),
    el("p", {}, "Your answers were sent. Tell your teacher you have finished; you can close this page."),
  );
}

function showIntro(section) {
  const minutes = section.time_limit ? Math.round(section.time_limit / 60) : null;
  show(
    "intro",
    el("h2", {}, section.title),
    minutes
      ? el(
          "p",
          {},
          `You have ${minutes} minutes for this section. A clock shows the time left. Time is not counted while your device is disconnected for more than a minute.`,
        )
      : el("p", {}, "This section has no time limit."),
    el("p", {}, "Your answers are saved as you go."),
    el("div", { class: "button-group" }, button("Start section", () => startSection(section))),
  );
}

// --- Starting and resuming --------------------------------------------------------------------------------------

async function startSection(section) {
  app.section = section.id;
  app.title = section.title;
  app.submitted = false;
  app.code = "";
  app.audio = null;
  app.announced = new Set();
  let started;
  let content;
  try {
    started = await api.post(`sections/${section.id}/start/`);
    content = await api.get(`sections/${section.id}/items/`);
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      show(
        "waiting",
        el("h2", {}, "Waiting for the connection"),
        el("p", {}, "The section will open when the connection returns."),
      );
      window.setTimeout(() => startSection(section), backoff(app.retries++));
      return;
    }
    stop(error);
    return;
  }
  setOnline(true);
  app.retries = 0;
  app.local = store.merge(store.load(attemptId, section.id), started);
  app.items = content.items;
  app.instructions = content.instructions;
  app.audioUrl = content.audio;
  app.deadline = typeof started.time_left === "number" ? performance.now() + started.time_left * 1000 : null;
  persist();
  window.clearInterval(app.heartbeatTimer);
  window.clearInterval(app.clockTimer);
  app.heartbeatTimer = window.setInterval(heartbeat, (app.overview.heartbeat || 15) * 1000);
  if (app.deadline !== null) app.clockTimer = window.setInterval(tick, 1000);
  if (app.local.ended || started.time_up) {
    app.local.ended = false;
    endSection();
    return;
  }
  showItem(app.local.index || 0);
  pump();
}

async function boot() {
  try {
    app.overview = await api.get("state/");
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      window.setTimeout(boot, backoff(app.retries++));
      return;
    }
    stop(error);
    return;
  }
  setOnline(true);
  const current = app.overview.sections.find((section) => section.id === app.overview.current);
  if (!current) {
    showFinished();
    return;
  }
  if (current.state === "in_progress") startSection(current);
  else showIntro(current);
}

window.addEventListener("online", () => {
  app.retries = 0;
  pump();
  heartbeat();
});
window.addEventListener("offline", () => setOnline(false));

boot();
