import { connect, setHTML } from "./live.js";
import { initModeration } from "./moderation.js";

const live = document.getElementById("live");
const controls = document.getElementById("controls");
const results = document.getElementById("results");
let refreshing = null;
let countsDue = null;
let participantsLabel = null; // the latest live figure: a panel fetched before it is older
const moderation = initModeration(document.getElementById("contributions"));

function showParticipants() {
  const devices = controls.querySelector(".devices");
  if (devices && participantsLabel !== null) devices.textContent = participantsLabel;
}

async function refreshControls() {
  // Controls carry this session's CSRF token, so they are fetched, not broadcast.
  if (refreshing) return refreshing;
  refreshing = fetch(live.dataset.panel, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => {
      if (html !== null) {
        // Only focus inside the controls is put back (the queue keeps its own).
        const active = document.activeElement;
        const focused = controls.contains(active) ? active.closest("li")?.id : null;
        setHTML(controls, html);
        showParticipants();
        if (focused) document.getElementById(focused)?.querySelector("button")?.focus();
      }
    })
    .finally(() => { refreshing = null; });
  return refreshing;
}

controls.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.control");
  if (!form) return;
  event.preventDefault();
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  const response = await fetch(form.getAttribute("action"), {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  }).catch(() => null);
  if (!response || !response.ok) {
    form.submit(); // let the server answer as a page: it explains what went wrong
    return;
  }
  refreshControls();
});

let questionId = null;

function noResults() {
  const empty = document.createElement("p");
  empty.className = "empty";
  empty.textContent = results.dataset.empty || "";
  results.replaceChildren(empty);
}

connect(live.dataset.stream, {
  state(data) {
    // Another question, or none (the welcome screen): its results frame follows, if any.
    if (data.question_id !== questionId) {
      questionId = data.question_id;
      if (questionId === null) noResults();
    }
    refreshControls();
  },
  results(data) {
    if (data.question_id !== questionId) return;
    setHTML(results, data.html);
    // Answer counts in the question list: refreshed now and then, not on every vote.
    if (!countsDue) countsDue = setTimeout(() => { countsDue = null; refreshControls(); }, 2000);
  },
  contributions(data) {
    moderation?.update(data);
  },
  votes(data) {
    moderation?.votes(data);
  },
  participants(data) {
    // Connected participants over every process; the controls are not fetched for it.
    participantsLabel = data.label;
    showParticipants();
  },
});
