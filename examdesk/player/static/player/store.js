// The section's state on this device (localStorage, keyed by attempt and section): answers with their sequence
// numbers, the saves not yet confirmed by the server (in order), where the student was, whether it ended, and the
// wall-clock deadline at the last contact. Beside it, per attempt, what the open section needs to be shown again
// without a connection (its questions, never keys: the player never receives them).

const PREFIX = "examdesk-player";

function key(attempt, section) {
  return `${PREFIX}:${attempt}:${section}`;
}

export function load(attempt, section) {
  try {
    const raw = window.localStorage.getItem(key(attempt, section));
    if (raw) {
      const data = JSON.parse(raw);
      if (data && typeof data === "object") {
        return { answers: {}, queue: [], seq: 0, index: 0, ended: false, token: "", ...data };
      }
    }
  } catch {
    // Storage unavailable or damaged: start from what the server holds.
  }
  return { answers: {}, queue: [], seq: 0, index: 0, ended: false, token: "" };
}

export function save(attempt, section, state) {
  try {
    window.localStorage.setItem(key(attempt, section), JSON.stringify(state));
    return true;
  } catch {
    return false;
  }
}

export function forget(attempt, section) {
  try {
    window.localStorage.removeItem(key(attempt, section));
  } catch {
    // Nothing to do.
  }
}

// Merge the server's answers into the local state: per item, the save with the higher sequence number wins.
// Queued saves the server already holds (same or higher number) are dropped.
export function merge(state, server) {
  const answers = { ...state.answers };
  for (const [item, entry] of Object.entries(server.answers || {})) {
    const local = answers[item];
    if (!local || local.seq <= entry.seq) answers[item] = { answer: entry.answer, seq: entry.seq };
  }
  const queue = state.queue.filter((save) => {
    const held = (server.answers || {})[String(save.item)];
    return !held || held.seq < save.seq;
  });
  return { ...state, answers, queue, seq: Math.max(state.seq, server.seq || 0), token: server.token || state.token };
}

function sectionKey(attempt) {
  return `${PREFIX}-section:${attempt}`;
}

export function saveSection(attempt, data) {
  try {
    window.localStorage.setItem(sectionKey(attempt), JSON.stringify(data));
    return true;
  } catch {
    return false;
  }
}

export function loadSection(attempt) {
  try {
    const raw = window.localStorage.getItem(sectionKey(attempt));
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function forgetSection(attempt) {
  try {
    window.localStorage.removeItem(sectionKey(attempt));
  } catch {
    // Nothing to do.
  }
}
