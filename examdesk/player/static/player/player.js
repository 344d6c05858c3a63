// The test player. Every answer is written at once to this device's storage and queued to the server in order;
// the queue is retried with backoff until the server has it. After a refresh or a crash, entering the code again
// resumes the section where it was (server and device answers merged by sequence number). If the section ends
// while offline, a response code carries the answers by hand. A service worker (offline.js) keeps the page and
// the section's audio, so a reload without a connection opens the section from this device's journal.
//
// The server is the clock: extra time, time added and pauses (an invigilator's, or a rest break) are the server's;
// while paused the player shows a calm screen and asks the server every few seconds whether it may carry on.
// Every string the student sees goes through Django's JavaScript catalogue (gettext, ngettext, interpolate).

import * as display from "./display.js";
import { HttpError, backoff, client, isConnectionError } from "./net.js";
import * as offline from "./offline.js";
import * as reader from "./reader.js";
import { responseCode } from "./response-code.js";
import * as store from "./store.js";

const { gettext, ngettext, interpolate } = window;

const root = document.getElementById("player");
const banner = document.getElementById("connection");
const announcer = document.getElementById("announcer");
const api = client(root.dataset.api, root.dataset.csrf);
const attemptId = Number(root.dataset.attempt);

const OFFLINE = gettext(
  "You are offline. Your answers are kept on this device and will be sent when the connection returns.",
);
const NUMBER = /^-?\d+([.,]\d+)?$/;
const PAUSE_POLL_MS = 3000;

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
  paused: null,
  pausedLeft: null,
  pauseTimer: null,
  readAloud: false,
  audioKept: false,
  offlineStart: false,
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

function setDeadline(timeLeft) {
  app.deadline = performance.now() + timeLeft * 1000;
  // The journal keeps the wall-clock deadline too: a reload without a connection counts on from it.
  if (app.local) {
    app.local.deadlineAt = Date.now() + timeLeft * 1000;
    persist();
  }
}

function contact(data) {
  setOnline(true);
  app.retries = 0;
  if (data && typeof data.time_left === "number") {
    setDeadline(data.time_left);
    if (data.paused) app.pausedLeft = data.time_left;
    tick();
  }
  if (data && "paused" in data) pausedByServer(data.paused);
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
    el("h2", {}, gettext("Type your access code again")),
    el("p", {}, (error && error.message) || gettext("Your session has ended.")),
    el(
      "p",
      {},
      gettext("Your answers are kept on this device: when you type your code again you carry on where you were."),
    ),
    el("p", {}, el("a", { class: "button", href: root.dataset.codeUrl }, gettext("Type your access code"))),
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
    store.forgetSection(attemptId);
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
  store.forgetSection(attemptId);
  try {
    const overview = await api.get("state/");
    showSent(overview.current, overview.current === null);
  } catch (error) {
    stop(error);
  }
}

function heartbeat() {
  if (app.stopped || app.screen === "finished") return;
  const inSection = app.local && !app.submitted && !app.local.ended;
  if (!inSection) {
    // On any other screen the player still says it is open (the invigilator's console shows who is connected).
    api.post("presence/").then(contact, (error) => {
      if (isConnectionError(error)) setOnline(false);
    });
    return;
  }
  if (app.sending || app.local.queue.length) return;
  api.post(`sections/${app.section}/heartbeat/`).then(contact, (error) => {
    if (isConnectionError(error)) setOnline(false);
    else if (error.status === 409 && error.data.ended) sentByServer();
    else stop(error);
  });
}

// --- Pauses: the invigilator's, and rest breaks -----------------------------------------------------------------

function pausedByServer(kind) {
  const paused = kind || null;
  if (paused === app.paused) return;
  const was = app.paused;
  app.paused = paused;
  if (paused) {
    reader.stop();
    if (app.audio) app.audio.pause();
    if (app.deadline !== null) app.pausedLeft = Math.max(0, (app.deadline - performance.now()) / 1000);
    window.clearInterval(app.pauseTimer);
    app.pauseTimer = window.setInterval(heartbeat, PAUSE_POLL_MS);
    showPaused();
  } else if (was) {
    window.clearInterval(app.pauseTimer);
    app.pauseTimer = null;
    app.pausedLeft = null;
    announce(gettext("The assessment has resumed."));
    if (app.local && !app.local.ended && !app.submitted && app.items.length) showItem(app.index);
    else boot();
  }
}

function showPaused() {
  if (app.paused === "rest_break") {
    show(
      "paused",
      el("h2", {}, gettext("Rest break")),
      el("p", {}, gettext("The clock has stopped. Your answers are saved. Take your time.")),
      el("p", {}, gettext("When you are ready, carry on where you were.")),
      el("div", { class: "button-group" }, button(gettext("Carry on"), endRestBreak)),
    );
    return;
  }
  show(
    "paused",
    el("h2", {}, gettext("Paused by your invigilator")),
    el("p", {}, gettext("The clock has stopped and your answers are saved. You do not need to do anything.")),
    el("p", {}, gettext("The assessment carries on when your invigilator resumes it.")),
  );
}

async function startRestBreak() {
  try {
    const data = await api.post("rest-break/");
    pausedByServer(data.paused);
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      announce(gettext("A rest break needs the connection. Tell your invigilator."));
    } else announce(error.message);
  }
}

async function endRestBreak() {
  try {
    await api.post("rest-break/end/");
    heartbeat();
    pausedByServer(null);
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      announce(gettext("Carrying on needs the connection. Tell your invigilator."));
    } else announce(error.message);
  }
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
  if (app.paused) {
    // The server's clock stands still: so does this one, at the time left when the pause began.
    if (app.pausedLeft !== null) app.deadline = performance.now() + app.pausedLeft * 1000;
    return;
  }
  const left = Math.max(0, (app.deadline - performance.now()) / 1000);
  const clock = document.getElementById("timer-value");
  if (clock) clock.textContent = format(left);
  for (const [mark, text] of [
    [300, gettext("5 minutes left in this section.")],
    [60, gettext("1 minute left in this section.")],
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
  show("sending", el("h2", {}, gettext("Sending your answers")), el("p", {}, gettext("Keep this page open.")));
  pump();
}

// --- Screens ----------------------------------------------------------------------------------------------------

function timerBlock() {
  if (app.deadline === null) return null;
  return el(
    "p",
    { class: "player-timer" },
    gettext("Time left:"),
    " ",
    el("strong", { id: "timer-value" }, format((app.deadline - performance.now()) / 1000)),
  );
}

// The section's title and (with the arrangement) the rest break, then the clock: the clock stays at the top of
// the screen while the question scrolls, on a phone and at 400 % too (it alone, so that it covers little).
function bar() {
  const breaks = app.overview && app.overview.arrangements && app.overview.arrangements.rest_breaks;
  return [
    el(
      "div",
      { class: "player-bar" },
      el("p", { class: "player-bar__section" }, app.title),
      breaks ? button(gettext("Take a rest break"), startRestBreak, "button--secondary player-bar__break") : null,
    ),
    timerBlock(),
  ];
}

function nav() {
  return el(
    "nav",
    { "aria-label": gettext("Questions") },
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
            el("span", { class: "visually-hidden" }, isAnswered(item.id) ? gettext(", answered") : gettext(", not answered")),
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
  navButton.querySelector(".visually-hidden").textContent = answered ? gettext(", answered") : gettext(", not answered");
}

function audioBlock() {
  if (!app.audio) {
    app.audio = el("audio", {
      controls: true,
      preload: app.audioKept ? "auto" : "none",
      src: app.audioUrl,
      "aria-label": gettext("Recording"),
    });
    app.audio.addEventListener("error", () => {
      const status = document.getElementById("audio-status");
      if (status) status.textContent = gettext("The recording could not be loaded. Tell your teacher.");
    });
  }
  const status = el("p", { class: "hint", id: "audio-status", role: "status" });
  const play = button(
    gettext("Play the recording"),
    async () => {
      try {
        await app.audio.play();
        status.textContent = gettext("Playing the recording.");
      } catch (error) {
        status.textContent =
          error && error.name === "NotAllowedError"
            ? gettext(
                "Your browser blocked the sound. Press play on the recording above, or ask your teacher to allow sound for this website.",
              )
            : gettext("The recording could not be played. Tell your teacher.");
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
      multiple ? el("p", { class: "hint", id: `${id}-hint` }, gettext("Choose all that apply.")) : null,
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
  const error = el(
    "p",
    { class: "error-message", id: `${id}-error`, hidden: true },
    gettext("Enter a number, for example 3.5"),
  );
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
    numeric
      ? el("p", { class: "hint", id: `${id}-hint` }, gettext("Type a number. Use a point for decimals, for example 3.5"))
      : null,
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
  reader.stop();
  show(
    "item",
    bar(),
    nav(),
    el(
      "h2",
      { id: "item-heading" },
      interpolate(gettext("Question %(number)s of %(count)s"), { number: app.index + 1, count: app.items.length }, true),
    ),
    app.instructions ? el("div", { class: "panel player-instructions" }, paragraphs(app.instructions)) : null,
    item.uses_audio && app.audioUrl ? audioBlock() : null,
    readerBlock(item),
    field(item),
    el(
      "div",
      { class: "button-group" },
      app.index > 0 ? button(gettext("Previous"), () => showItem(app.index - 1), "button--secondary") : null,
      last ? button(gettext("Review answers"), showReview) : button(gettext("Next"), () => showItem(app.index + 1)),
    ),
    last
      ? null
      : el(
          "p",
          {},
          el("button", { type: "button", class: "link-button", on: { click: showReview } }, gettext("Review answers")),
        ),
  );
}

// The reader (an access arrangement): the question and its options aloud, where the assessment allows it.
function readerBlock(item) {
  const arranged = app.overview && app.overview.arrangements && app.overview.arrangements.reader;
  if (!arranged) return null;
  if (!app.readAloud) {
    return el("p", { class: "hint" }, gettext("Reading aloud is not allowed in this section."));
  }
  if (!reader.available()) {
    return el("p", { class: "hint" }, gettext("This browser cannot read aloud. Tell your invigilator."));
  }
  const texts = [
    item.prompt,
    ...item.options.map((option, index) =>
      interpolate(gettext("Option %(number)s: %(text)s"), { number: index + 1, text: option.text }, true),
    ),
  ];
  return el(
    "div",
    { class: "button-group player-reader" },
    button(gettext("Read aloud"), () => reader.speak(texts), "button--secondary"),
    button(gettext("Stop reading"), () => reader.stop(), "button--secondary"),
  );
}

function showReview() {
  const unanswered = app.items.filter((item) => !isAnswered(item.id)).length;
  const count = app.items.length;
  show(
    "review",
    bar(),
    el("h2", {}, gettext("Check your answers")),
    el(
      "p",
      {},
      unanswered
        ? interpolate(
            ngettext(
              "You have answered %(done)s of %(count)s questions. %(left)s not answered.",
              "You have answered %(done)s of %(count)s questions. %(left)s not answered.",
              count,
            ),
            { done: count - unanswered, count, left: unanswered },
            true,
          )
        : interpolate(
            ngettext("You have answered the question.", "You have answered all %(count)s questions.", count),
            { count },
            true,
          ),
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
            interpolate(gettext("Question %s"), [index + 1]),
          ),
          " ",
          isAnswered(item.id)
            ? el("span", { class: "tag tag--green" }, gettext("Answered"))
            : el("span", { class: "tag tag--red" }, gettext("Not answered")),
        ),
      ),
    ),
    el(
      "div",
      { class: "button-group" },
      button(gettext("Back to the questions"), () => showItem(app.index), "button--secondary"),
      button(gettext("Submit section"), () => showConfirm(unanswered)),
    ),
  );
}

function showConfirm(unanswered) {
  show(
    "confirm",
    bar(),
    el("h2", {}, gettext("Submit this section?")),
    unanswered
      ? el(
          "p",
          { class: "notice notice--warning" },
          interpolate(
            ngettext("You have not answered %s question.", "You have not answered %s questions.", unanswered),
            [unanswered],
          ),
        )
      : null,
    el("p", {}, gettext("You cannot change your answers after you submit.")),
    el(
      "div",
      { class: "button-group" },
      button(gettext("Yes, submit this section"), endSection),
      button(gettext("No, go back to my answers"), showReview, "button--secondary"),
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
  const text = el("textarea", {
    id: "response-code",
    readonly: true,
    rows: 6,
    class: "response-code",
    spellcheck: "false",
  });
  text.value = app.code;
  const fileName = `exd-${attemptId}-${app.section}.txt`;
  show(
    "code",
    el("h2", {}, gettext("Your answers are kept on this device")),
    el(
      "p",
      {},
      gettext(
        "The section has ended, but the server cannot be reached. Keep this page open: your answers will be sent as soon as the connection returns.",
      ),
    ),
    el(
      "p",
      {},
      gettext(
        "If the connection does not return, copy the response code or download it as a file, and give it to your teacher. It holds your answers for this section.",
      ),
    ),
    el("div", { class: "form-group" }, el("label", { class: "label", for: "response-code" }, gettext("Response code")), text),
    el(
      "div",
      { class: "button-group" },
      button(
        gettext("Copy to clipboard"),
        async () => {
          try {
            await navigator.clipboard.writeText(app.code);
          } catch {
            text.select();
            document.execCommand("copy");
          }
          status.textContent = gettext("The response code was copied.");
        },
        "button--secondary",
      ),
      button(
        gettext("Download as a file"),
        () => {
          const url = URL.createObjectURL(new Blob([`${app.code}\n`], { type: "text/plain" }));
          const link = el("a", { href: url, download: fileName, hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
          window.setTimeout(() => URL.revokeObjectURL(url), 10000);
          status.textContent = interpolate(gettext("The response code was saved as %s."), [fileName]);
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
    el("h2", {}, gettext("Section sent")),
    el("p", {}, interpolate(gettext("Your answers for %s were sent."), [app.title])),
    el("div", { class: "button-group" }, button(gettext("Go to the next section"), () => boot())),
  );
}

function showFinished() {
  window.clearInterval(app.heartbeatTimer);
  window.clearInterval(app.pauseTimer);
  store.forgetSection(attemptId);
  display.forget(attemptId);
  offline.clear();
  show(
    "finished",
    el("h2", {}, gettext("You have finished")),
    el("p", {}, gettext("Your answers were sent. Tell your teacher you have finished; you can close this page.")),
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
          interpolate(
            ngettext(
              "You have %s minute for this section. A clock shows the time left. Time is not counted while your device is disconnected for more than a minute.",
              "You have %s minutes for this section. A clock shows the time left. Time is not counted while your device is disconnected for more than a minute.",
              minutes,
            ),
            [minutes],
          ),
        )
      : el("p", {}, gettext("This section has no time limit.")),
    el("p", {}, gettext("Your answers are saved as you go.")),
    el("div", { class: "button-group" }, button(gettext("Start section"), () => startSection(section))),
  );
}

// --- Starting and resuming --------------------------------------------------------------------------------------

// Open a section whose content is known (from the server, or from this device's journal when offline).
async function openSection(section, content, started) {
  app.section = section.id;
  app.title = section.title;
  app.items = content.items;
  app.instructions = content.instructions;
  app.audioUrl = content.audio;
  app.readAloud = content.read_aloud !== false;
  app.local = started ? store.merge(store.load(attemptId, section.id), started) : store.load(attemptId, section.id);
  if (started && typeof started.time_left === "number") setDeadline(started.time_left);
  else if (!started && app.local.deadlineAt) app.deadline = performance.now() + (app.local.deadlineAt - Date.now());
  else app.deadline = null;
  persist();
  // Audio is fetched in full as the section starts (and kept), so it plays even if the connection goes.
  app.audioKept = await offline.keepAudio(app.audioUrl);
  window.clearInterval(app.clockTimer);
  if (app.deadline !== null) app.clockTimer = window.setInterval(tick, 1000);
  if (app.local.ended || (started && started.time_up)) {
    app.local.ended = false;
    endSection();
    return;
  }
  if (started && started.paused) {
    pausedByServer(started.paused);
    return;
  }
  showItem(app.local.index || 0);
  pump();
}

async function startSection(section) {
  app.submitted = false;
  app.code = "";
  app.audio = null;
  app.audioKept = false;
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
        el("h2", {}, gettext("Waiting for the connection")),
        el("p", {}, gettext("The section will open when the connection returns.")),
      );
      window.setTimeout(() => startSection(section), backoff(app.retries++));
      return;
    }
    stop(error);
    return;
  }
  setOnline(true);
  app.retries = 0;
  // The journal keeps what the section needs to open again without a connection.
  store.saveSection(attemptId, { overview: app.overview, section, content });
  await openSection(section, content, started);
}

// No connection as the page opens (a reload, or the browser reopened): carry on with the section this device
// holds, if it holds one; the queue sends the answers when the connection returns.
function resumeOffline() {
  const kept = store.loadSection(attemptId);
  if (!kept || !kept.section || !kept.content) return false;
  app.overview = kept.overview;
  setUp(app.overview);
  app.offlineStart = true;
  openSection(kept.section, kept.content, null);
  return true;
}

let prepared = false;

// Once per page: the display settings, the presence heartbeat, and the service worker with the player's files.
function setUp(overview) {
  if (prepared) return;
  prepared = true;
  display.setUp(document.getElementById("player-tools"), attemptId, (overview && overview.arrangements) || {});
  app.heartbeatTimer = window.setInterval(heartbeat, ((overview && overview.heartbeat) || 15) * 1000);
  offline.prepare(root.dataset.worker, root.dataset.scope);
}

async function boot() {
  try {
    app.overview = await api.get("state/");
  } catch (error) {
    if (isConnectionError(error)) {
      setOnline(false);
      if (!app.offlineStart && !prepared && resumeOffline()) return;
      window.setTimeout(boot, backoff(app.retries++));
      return;
    }
    stop(error);
    return;
  }
  setOnline(true);
  setUp(app.overview);
  const current = app.overview.sections.find((section) => section.id === app.overview.current);
  if (!current) {
    showFinished();
    return;
  }
  if (app.overview.paused) {
    app.title = current.title;
    pausedByServer(app.overview.paused);
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
