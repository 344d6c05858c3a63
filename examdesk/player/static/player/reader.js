// The reader (an access arrangement): the browser's speech synthesis reads a question and its options aloud, in
// sections where the assessment allows it. Nothing is sent anywhere: the browser speaks.

export function available() {
  return "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
}

export function speak(texts, lang) {
  const synth = window.speechSynthesis;
  synth.cancel();
  for (const text of texts) {
    if (!text) continue;
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = lang || document.documentElement.lang || "en-GB";
    synth.speak(utterance);
  }
}

export function stop() {
  if (available()) window.speechSynthesis.cancel();
}
