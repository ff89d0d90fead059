// Results change up to once a second while a room votes. Reading the whole chart out
// at every change would drown a screen reader, so the results themselves are not a
// live region; instead a polite status says the leaders and the number of
// respondents (the server's .results-summary): at once for a question's first
// results, then at most once per GAP_MS, the latest.

const GAP_MS = 10000;

export function resultsNews(region) {
  let said = "";
  let saidFor = null; // the question the last summary was about
  let waiting = "";
  let lastSaid = 0;
  let timer = null;

  function say(text, question) {
    said = text;
    saidFor = question;
    lastSaid = Date.now();
    region.textContent = ""; // the same words again are announced again
    setTimeout(() => { region.textContent = text; }, 50);
  }

  // After the results were replaced: tell the summary now, or when the gap is over.
  return function heard(results) {
    const text = results.querySelector(".results-summary")?.textContent.trim() || "";
    const question = results.querySelector(".results")?.dataset.question ?? null;
    if (!text || text === said) return;
    if (question !== saidFor) {
      clearTimeout(timer);
      timer = null;
      say(text, question);
      return;
    }
    waiting = text;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (waiting !== said) say(waiting, question);
    }, Math.max(0, lastSaid + GAP_MS - Date.now()));
  };
}
