import { announcer, relay } from "./announcer.js";
import { setupContributions } from "./contributions.js";
import { connect, setHTML } from "./live.js";
import { resultsNews } from "./results_news.js";

const live = document.getElementById("live");
const panel = document.getElementById("panel");
const results = document.getElementById("results");
const newsRegion = document.getElementById("results-news");
const news = newsRegion ? resultsNews(newsRegion) : null;
const status = document.getElementById("status");
const code = live.dataset.code;
let shown = { question_id: currentQuestionId(), voting_open: null };
const contributions = setupContributions();
// The one live region: every other message line passes its news through it.
relay(announcer(document.getElementById("announcer")), [
  ...document.querySelectorAll("#status, #results-news, .counter-note, #contribution-status, .contribution-news"),
]);

function currentQuestionId() {
  const form = panel.querySelector("form[data-question]");
  return form ? Number(form.dataset.question) : null;
}

function storageKey(questionId) {
  return `podium:${code}:${questionId}`;
}

function remember(questionId, value) {
  try {
    sessionStorage.setItem(storageKey(questionId), JSON.stringify(value));
  } catch {
    /* private mode: the mark is only cosmetic */
  }
}

function remembered(questionId) {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(questionId)));
  } catch {
    return null;
  }
}

// Show the participant's own answer in a form that was rendered for everyone.
function markOwnAnswer(form, allowChange) {
  const value = remembered(Number(form.dataset.question));
  if (value === null || value === undefined) return;
  const kind = form.dataset.kind;
  if (kind === "single" || kind === "multiple") {
    for (const el of form.querySelectorAll("[name=choice]")) {
      const chosen = value.includes(Number(el.value));
      if (el.type === "checkbox") el.checked = chosen;
      else el.setAttribute("aria-pressed", String(chosen));
    }
  } else if (kind === "scale") {
    for (const el of form.querySelectorAll("[name=value]")) el.setAttribute("aria-pressed", String(Number(el.value) === value));
  } else if (kind === "words") {
    form.querySelectorAll("[name=word]").forEach((el, i) => { el.value = value[i] || ""; });
  } else if (kind === "text") {
    const area = form.querySelector("[name=text]");
    if (area) area.value = value;
  }
  if (!allowChange) lock(form);
}

function lock(form) {
  const fieldset = form.querySelector("fieldset");
  if (fieldset) fieldset.disabled = true;
}

function limitChoices(form) {
  const max = Number(form.dataset.max);
  if (form.dataset.kind !== "multiple" || !max) return;
  const boxes = [...form.querySelectorAll("input[type=checkbox]")];
  const checked = boxes.filter((b) => b.checked).length;
  for (const box of boxes) box.disabled = !box.checked && checked >= max;
}

function updateCounter(form) {
  const area = form.querySelector("textarea");
  const counter = form.querySelector(".counter");
  if (area && counter) counter.textContent = `${area.value.length} / ${counter.dataset.max}`;
}

function answerOf(form, submitter) {
  const kind = form.dataset.kind;
  if (kind === "single") return [Number(submitter?.value)];
  if (kind === "multiple") return [...form.querySelectorAll("[name=choice]:checked")].map((b) => Number(b.value));
  if (kind === "scale") return Number(submitter?.value);
  if (kind === "words") return [...form.querySelectorAll("[name=word]")].map((el) => el.value);
  return form.querySelector("[name=text]").value;
}

function showError(form, text) {
  let box = form.querySelector(".error");
  if (!box) {
    box = document.createElement("p");
    box.className = "error";
    box.setAttribute("role", "alert");
    form.querySelector("legend")?.after(box);
  }
  box.textContent = text;
  status.textContent = "";
}

// An answer id from crypto.getRandomValues: crypto.randomUUID() exists only in secure
// contexts (https, localhost), and podium also runs over plain http on an intranet.
function answerId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Seconds from a Retry-After header (podium sends whole seconds), kept within reason.
function retryAfter(response) {
  const seconds = Number(response.headers.get("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) : 1;
}

async function submit(form, submitter) {
  const value = answerOf(form, submitter);
  const body = {
    question_id: Number(form.dataset.question),
    answer_id: answerId(),
    value,
  };
  status.textContent = "";
  form.querySelector(".error")?.remove();
  // A network hiccup, a server restarting behind a proxy (502-504) or a busy server
  // (503 with Retry-After): the same answer id again, a bounded number of times, so
  // a retry never counts twice.
  let response;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      response = await fetch(form.getAttribute("action"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      if (![502, 503, 504].includes(response.status)) break;
    } catch {
      response = undefined;
    }
    if (attempt === 7) break;
    if (response?.status === 503 && response.headers.has("Retry-After")) {
      // The server refused it at once, stored nothing, and said when to come back:
      // tell the participant that the answer is on its way, then send it again.
      const data = await response.clone().json().catch(() => ({}));
      status.classList.add("info");
      status.textContent = form.dataset.busy || data.message || "";
      await sleep(retryAfter(response) * 1000 * (1 + Math.random() / 2));
    } else {
      await sleep(Math.min(500 * 2 ** attempt, 4000));
    }
  }
  if (!response) {
    showError(form, form.dataset.offline || "Offline");
    return;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    showError(form, data.message || response.statusText);
    return;
  }
  remember(body.question_id, data.value);
  markOwnAnswer(form, form.dataset.allowChange !== "false");
  status.classList.remove("info");
  status.textContent = data.message;
  const sendButton = form.querySelector("button.primary");
  if (sendButton && sendButton.dataset.change) sendButton.textContent = sendButton.dataset.change;
}

panel.addEventListener("submit", (event) => {
  const form = event.target.closest("form.answer-form");
  if (!form) return;
  event.preventDefault();
  submit(form, event.submitter);
});
panel.addEventListener("change", (event) => {
  const form = event.target.closest("form.answer-form");
  if (form) limitChoices(form);
});
panel.addEventListener("input", (event) => {
  const form = event.target.closest("form.answer-form");
  if (form) updateCounter(form);
});

function prepare() {
  const form = panel.querySelector("form.answer-form");
  if (!form) return;
  limitChoices(form);
  updateCounter(form);
}
prepare();

connect(live.dataset.stream, {
  state(data) {
    // Replace the form only when the question or its voting changes: never under
    // a participant's fingers for an unrelated change (results shown, ...).
    if (data.question_id !== shown.question_id || data.voting_open !== shown.voting_open) {
      const questionChanged = data.question_id !== shown.question_id;
      setHTML(panel, data.html);
      const form = panel.querySelector("form.answer-form");
      if (form) {
        markOwnAnswer(form, data.allow_change);
        prepare();
      }
      if (questionChanged) {
        // Announced politely through the status region; focus stays where it is.
        const title = panel.querySelector(".question-title");
        status.classList.add("info");
        status.textContent = title ? `${live.dataset.newQuestion}: ${title.textContent}` : "";
      }
    }
    shown = { question_id: data.question_id, voting_open: data.voting_open };
    if (!data.results_visible) {
      results.hidden = true;
      setHTML(results, "");
    }
  },
  results(data) {
    if (data.question_id !== shown.question_id) return;
    setHTML(results, data.html);
    results.hidden = false;
    news?.(results);
  },
  votes(data) {
    contributions?.votes(data);
  },
  contributions(data) {
    contributions?.frame(data);
  },
});
