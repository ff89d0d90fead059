// Written contributions on the participant's page: send and upvote without a reload,
// keep this participant's own marks (upvotes, contributions waiting for approval) on
// the list that every device receives alike, sort it, and announce new ones politely.
// Without this script the same forms post and the server renders the marks.

import { focusKeeper, listFrames } from "./contribution_list.js";

const ANNOUNCE_GAP_MS = 5000; // a busy room: one summary every few seconds, never a stream
const RECHECK_MS = 30000; // how often waiting contributions are looked up again
const JSON_HEADERS = { "Content-Type": "application/json", Accept: "application/json" };
// Refusals that are about the text itself (the other fields have their own codes).
const TEXT_ERRORS = new Set([
  "empty_contribution",
  "contribution_too_long",
  "contribution_too_short",
  "contribution_blocked",
  "duplicate_contribution",
  "control_characters",
]);

function readRanks(json) {
  try {
    const ranks = JSON.parse(json || "{}");
    return ranks && typeof ranks === "object" ? ranks : {};
  } catch {
    return {};
  }
}

export function setupContributions() {
  const section = document.getElementById("contributions");
  const holder = document.getElementById("contribution-list");
  if (!section || !holder) return null;

  const code = section.dataset.code;
  const heading = document.getElementById("contributions-title");
  const form = section.querySelector("form.contribution-form");
  const closedNote = section.querySelector(".contribution-closed");
  const status = document.getElementById("contribution-status");
  const news = section.querySelector(".contribution-news");
  const sortButtons = [...section.querySelectorAll(".contribution-sort button[name=order]")];
  const area = form?.querySelector("textarea[name=text]");
  const counter = form?.querySelector(".counter");
  const counterNote = form?.querySelector(".counter-note");

  // What only this participant knows; the frames are the same for everyone.
  const voted = new Set();
  const own = new Set();
  const waiting = new Map(); // id -> its <li>, newest id first when placed
  const known = new Set(); // approved ids shown so far: what is new in a frame
  const busy = new Set(); // upvotes on their way
  let order = section.dataset.order === "new" ? "new" : "top";
  let ranks = readRanks(section.dataset.ranks); // order -> ids, as the server ranks them
  let lastHtml = null;
  let sending = false;
  let unannounced = 0;
  let announceTimer = null;
  let lastAnnounced = 0;
  let counterStep = null;

  function text(key, values = {}) {
    return (section.dataset[key] || "").replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
  }

  function list() {
    return holder.querySelector("ol.contributions");
  }

  const frames = listFrames(code);
  const focus = focusKeeper(holder, heading);

  // --- the state the server rendered into the page ----------------------------------

  for (const li of holder.querySelectorAll("li[data-id]")) {
    const id = Number(li.dataset.id);
    if (li.classList.contains("mine")) own.add(id);
    if (li.classList.contains("pending")) waiting.set(id, li);
    else known.add(id);
    if (li.querySelector(".vote button[aria-pressed=true]")) voted.add(id);
  }

  // --- marks, order, focus --------------------------------------------------------------

  function markVote(li) {
    const id = Number(li.dataset.id);
    const button = li.querySelector(".vote button");
    if (!button) return;
    const pressed = voted.has(id);
    button.setAttribute("aria-pressed", String(pressed));
    const up = li.querySelector(".vote input[name=up]");
    if (up) up.value = pressed ? "0" : "1";
  }

  function markOwn(li) {
    if (li.classList.contains("mine")) return;
    li.classList.add("mine");
    const badge = document.createElement("span");
    badge.className = "badge own";
    badge.textContent = text("own");
    const meta = li.querySelector(".meta");
    meta?.insertBefore(badge, meta.querySelector(".author"));
  }

  function waitingItem(item) {
    const li = document.createElement("li");
    li.className = "contribution pending mine";
    li.id = `contribution-${item.id}`;
    li.dataset.id = String(item.id);
    const body = document.createElement("p");
    body.className = "text";
    body.id = `contribution-${item.id}-text`;
    body.textContent = item.text;
    const meta = document.createElement("p");
    meta.className = "meta";
    const badge = document.createElement("span");
    badge.className = "badge waiting";
    badge.textContent = text("waiting");
    meta.append(badge);
    if (item.panelist) {
      const to = document.createElement("span");
      to.className = "to";
      to.textContent = text("to", { name: item.panelist });
      meta.append(" ", to);
    }
    li.append(body, meta);
    return li;
  }

  function placeWaiting() {
    const ol = list();
    if (!ol) return;
    const ids = [...waiting.keys()].sort((a, b) => a - b);
    for (const id of ids) ol.prepend(waiting.get(id)); // the newest ends up on top
    if (waiting.size) ol.querySelector(":scope > li.empty")?.remove();
  }

  function sortList() {
    const ol = list();
    if (!ol) return;
    const items = [...ol.querySelectorAll(":scope > li[data-votes]")];
    // The server decides the order (domain/contributions.py); one it did not rank
    // stays after the ranked ones, where it is.
    const place = new Map((ranks[order] || []).map((id, i) => [String(id), i]));
    const at = (li, i) => place.get(li.dataset.id) ?? place.size + i;
    const sorted = items
      .map((li, i) => [at(li, i), li])
      .sort((x, y) => x[0] - y[0])
      .map(([, li]) => li);
    if (sorted.every((li, i) => li === items[i])) return; // moving nodes costs focus
    const after = ol.querySelector(":scope > li[data-votes]")?.previousElementSibling;
    const fragment = document.createDocumentFragment();
    fragment.append(...sorted);
    if (after) after.after(fragment);
    else ol.prepend(fragment);
  }

  function updateSortButtons() {
    for (const button of sortButtons) button.setAttribute("aria-pressed", String(button.value === order));
  }

  function decorate() {
    const ol = list();
    if (!ol) return [];
    const shown = [];
    for (const li of ol.querySelectorAll(":scope > li[data-votes]")) {
      const id = Number(li.dataset.id);
      shown.push(id);
      if (waiting.has(id)) {
        waiting.delete(id); // approved: it is in the list now, like everyone's
        own.add(id);
      }
      if (own.has(id)) markOwn(li);
      markVote(li);
    }
    placeWaiting();
    sortList();
    return shown;
  }

  // --- announcements ----------------------------------------------------------------

  function announce(count) {
    unannounced += count;
    if (!unannounced || announceTimer) return;
    const wait = Math.max(0, lastAnnounced + ANNOUNCE_GAP_MS - Date.now());
    announceTimer = setTimeout(() => {
      const n = unannounced;
      unannounced = 0;
      announceTimer = null;
      lastAnnounced = Date.now();
      news.textContent = ""; // the same words again are announced again
      setTimeout(() => {
        news.textContent = n === 1 ? text("newOne") : text("newMany", { n });
      }, 50);
    }, wait);
  }

  function setStatus(message, isError) {
    status.classList.toggle("is-error", Boolean(isError));
    status.textContent = message || "";
  }

  function setOpen(open) {
    if (form) form.hidden = !open;
    if (closedNote) closedNote.hidden = open;
  }

  // --- the live frame (the same for every device) -------------------------------------

  function frame(data) {
    setOpen(Boolean(data.open));
    const html = frames.assemble(data);
    if (html === null) {
      frames.whole().then((whole) => whole && frame(whole)); // a whole list is complete
      return;
    }
    if (data.ranks) ranks = data.ranks;
    if (html !== lastHtml) {
      lastHtml = html;
      update(html);
    }
    votes({ votes: Object.fromEntries(data.order.map(([id, , count]) => [id, count])) });
    // One of ours left the queue (rejected, or approved beyond the list): ask how.
    const pending = new Set(data.pending || []);
    if ([...waiting.keys()].some((id) => !pending.has(id))) recheckWaiting(true);
    section.hidden = !(data.open || data.count > 0 || waiting.size > 0);
  }

  // Only the upvotes changed: the counts of the items shown, no new list.
  function votes(data) {
    const counts = data.votes || {};
    if (data.ranks) ranks = data.ranks; // upvotes move the "top" order
    for (const li of holder.querySelectorAll("li[data-votes]")) {
      const count = counts[li.dataset.id];
      if (count === undefined || String(count) === li.dataset.votes) continue;
      li.dataset.votes = String(count);
      const shown = li.querySelector(".count");
      if (shown) shown.textContent = String(count);
    }
    const memo = focus.remember();
    sortList();
    focus.restore(memo);
  }

  function update(html) {
    const memo = focus.remember();
    holder.innerHTML = html; // server-rendered, escaped by podium itself
    const shown = decorate();
    let fresh = 0;
    for (const id of shown) {
      if (!known.has(id)) {
        known.add(id);
        fresh += 1;
      }
    }
    announce(fresh);
    focus.restore(memo);
  }

  // --- sending ----------------------------------------------------------------------

  function updateCounter() {
    if (!area || !counter) return;
    const max = Number(counter.dataset.max) || Number(area.maxLength);
    const length = area.value.length;
    const left = max - length;
    counter.hidden = false;
    counter.textContent = `${length} / ${max}`;
    counter.classList.toggle("near", left <= 20);
    // Spoken only when a threshold is crossed (20, 10, none left), never per keystroke.
    const step = left <= 0 ? 0 : left <= 10 ? 10 : left <= 20 ? 20 : null;
    if (step !== counterStep) {
      const warn = step !== null && (counterStep === null || step < counterStep);
      counterStep = step;
      if (counterNote) counterNote.textContent = warn ? text("left", { n: Math.max(left, 0) }) : "";
    }
  }

  async function post(url, body) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      return { ok: response.ok, data, statusText: response.statusText };
    } catch {
      return null; // offline
    }
  }

  async function send() {
    if (sending) return;
    sending = true;
    setStatus("", false);
    const fields = Object.fromEntries(new FormData(form));
    const result = await post(form.getAttribute("action"), fields);
    sending = false;
    if (!result) {
      setStatus(text("offline"), true);
      return;
    }
    if (!result.ok) {
      if (TEXT_ERRORS.has(result.data.error)) area?.setAttribute("aria-invalid", "true");
      else area?.removeAttribute("aria-invalid");
      setStatus(result.data.message || result.statusText, true);
      return;
    }
    area?.removeAttribute("aria-invalid");
    if (area) area.value = ""; // name and panelist stay for the next one
    updateCounter();
    setStatus(result.data.message, false);
    const item = result.data.contribution;
    if (!item) return;
    own.add(item.id);
    if (item.state === "pending") {
      waiting.set(item.id, waitingItem(item));
      section.hidden = false;
      placeWaiting();
    } else {
      known.add(item.id); // one's own is no news to oneself
    }
  }

  async function upvote(voteForm) {
    const li = voteForm.closest("li[data-id]");
    const id = Number(li?.dataset.id);
    if (!id || busy.has(id)) return;
    busy.add(id);
    const result = await post(voteForm.getAttribute("action"), { up: !voted.has(id) });
    busy.delete(id);
    if (!result || !result.ok) {
      setStatus(result ? result.data.message || result.statusText : text("offline"), true);
      return;
    }
    if (result.data.voted) voted.add(id);
    else voted.delete(id);
    // A frame may have replaced the list meanwhile: update the item as it is now.
    const current = holder.querySelector(`li[data-id="${id}"]`);
    if (!current) return;
    current.dataset.votes = String(result.data.votes);
    const count = current.querySelector(".count");
    if (count) count.textContent = String(result.data.votes);
    markVote(current);
    // Not re-sorted here: the item stays under the finger; the next frame sorts.
  }

  // Contributions rejected or taken down while waiting: frames name the pending ids,
  // this asks which of ours is gone (and is the safety net every RECHECK_MS).
  async function recheckWaiting(now = false) {
    if (!waiting.size || (document.hidden && !now)) return;
    try {
      const response = await fetch(`/api/v1/p/${code}/contributions`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      const pending = new Set((data.mine || []).filter((i) => i.state === "pending").map((i) => i.id));
      const approved = new Set((data.contributions || []).map((i) => i.id));
      for (const [id, li] of [...waiting]) {
        if (pending.has(id) || approved.has(id)) continue;
        const memo = focus.remember();
        li.remove();
        waiting.delete(id);
        focus.restore(memo);
      }
    } catch {
      /* offline: next time */
    }
  }

  // --- wiring -------------------------------------------------------------------------

  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  area?.addEventListener("input", updateCounter);
  holder.addEventListener("submit", (event) => {
    const voteForm = event.target.closest("form.vote");
    if (!voteForm) return;
    event.preventDefault();
    upvote(voteForm);
  });
  for (const button of sortButtons) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      order = button.value === "new" ? "new" : "top";
      updateSortButtons();
      const memo = focus.remember();
      sortList();
      focus.restore(memo);
      try {
        const url = new URL(window.location.href);
        url.searchParams.set("order", order);
        history.replaceState(history.state, "", url); // a reload keeps the order
      } catch {
        /* only a convenience */
      }
    });
  }
  setInterval(recheckWaiting, RECHECK_MS);
  updateCounter();
  updateSortButtons();
  decorate();

  return { frame, votes };
}
