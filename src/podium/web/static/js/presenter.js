import { connect, setHTML } from "./live.js";
import { patchHTML } from "./patch.js";
import { resultsNews } from "./results_news.js";

const live = document.getElementById("live");
const panel = document.getElementById("panel");
const results = document.getElementById("results");
const newsRegion = document.getElementById("results-news");
const news = newsRegion ? resultsNews(newsRegion) : null;
const connection = document.getElementById("connection");
const poll = document.getElementById("poll");
const contributions = document.getElementById("contributions");
const participants = document.getElementById("participants");
let questionId = null;
// Whether the organiser shows the count (every state frame says): a count frame sent
// before it was turned off may still come after that state, and must not bring it back.
let participantsShown = !participants.hidden;
let participantsLabel = participants.textContent;

function showParticipants() {
  participants.textContent = participantsShown ? participantsLabel : "";
  participants.hidden = !participantsShown || !participantsLabel;
}

connect(
  live.dataset.stream,
  {
    state(data) {
      questionId = data.question_id;
      setHTML(panel, data.html);
      if (!data.results_visible) setHTML(results, "");
      participantsShown = Boolean(data.participants_shown);
      showParticipants();
    },
    results(data) {
      if (data.question_id !== questionId) return;
      setHTML(results, data.html);
      news?.(results);
    },
    contributions(data) {
      const shown = Boolean(data.shown); // decided by the server (domain/contributions.py)
      patchHTML(contributions, data.html); // a live region: in place, not wholesale
      contributions.hidden = !shown;
      poll.hidden = shown;
    },
    participants(data) {
      participantsLabel = data.label;
      showParticipants();
    },
  },
  (state) => {
    connection.textContent = state === "open" ? "" : connection.dataset.lost || "…";
    document.body.classList.toggle("offline", state !== "open");
  },
);
