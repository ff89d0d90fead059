import { connect, setHTML } from "./live.js";
import { resultsNews } from "./results_news.js";

const live = document.getElementById("live");
const panel = document.getElementById("panel");
const results = document.getElementById("results");
const newsRegion = document.getElementById("results-news");
const news = newsRegion ? resultsNews(newsRegion) : null;
const connection = document.getElementById("connection");
const poll = document.getElementById("poll");
const contributions = document.getElementById("contributions");
let questionId = null;

connect(
  live.dataset.stream,
  {
    state(data) {
      questionId = data.question_id;
      setHTML(panel, data.html);
      if (!data.results_visible) setHTML(results, "");
    },
    results(data) {
      if (data.question_id !== questionId) return;
      setHTML(results, data.html);
      news?.(results);
    },
    contributions(data) {
      const shown = Boolean(data.shown); // decided by the server (domain/contributions.py)
      setHTML(contributions, data.html);
      contributions.hidden = !shown;
      poll.hidden = shown;
    },
  },
  (state) => {
    connection.textContent = state === "open" ? "" : connection.dataset.lost || "…";
    document.body.classList.toggle("offline", state !== "open");
  },
);
