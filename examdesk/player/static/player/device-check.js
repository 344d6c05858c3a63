// The device check: play a tone when asked, and find out whether the browser lets the page play sound by itself.
// When it does not, the Safari and Chrome instructions are shown.

// Django's JavaScript catalogue (/jsi18n/, loaded by the page) translates; without it the English stays.
const gettext = globalThis.gettext || ((text) => text);
const audio = document.getElementById("sound-check");
const button = document.getElementById("play-sound");
const status = document.getElementById("sound-status");
const help = document.getElementById("autoplay-help");

function blocked() {
  if (help) help.hidden = false;
  if (status) status.textContent = gettext("The sound was blocked. Follow the instructions below, then try again.");
}

async function tryPlay(quietly) {
  if (!audio) return false;
  try {
    audio.currentTime = 0;
    audio.volume = quietly ? 0.05 : 1;
    await audio.play();
    if (quietly) audio.pause();
    audio.volume = 1;
    return true;
  } catch (error) {
    audio.volume = 1;
    if (error && error.name === "NotAllowedError") return false;
    throw error;
  }
}

if (button) {
  button.addEventListener("click", async () => {
    try {
      if (await tryPlay(false)) {
        if (status) status.textContent = gettext("Playing the sound check. Did you hear a tone?");
      } else {
        blocked();
      }
    } catch {
      if (status) status.textContent = gettext("The sound could not be played on this device. Tell your teacher.");
    }
  });
}

// Autoplay: the assessment plays its audio without a click, so check that now (very quietly: browsers decide on
// audible playback, and muted playback is always allowed).
tryPlay(true).then((allowed) => {
  if (!allowed) blocked();
}).catch(() => {});
