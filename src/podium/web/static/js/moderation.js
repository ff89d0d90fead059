// The contributions queue of the moderator's console. Every form of the queue works
// without script; this module posts them in place (JSON), keeps focus, selection,
// open forms and half-typed text when a "contributions" frame replaces the queue,
// and adds keyboard shortcuts (moderation_keys.js) and a polite note when new
// contributions wait.

import { queueFrames } from "./contribution_list.js";
import { formData, postForm } from "./moderation_post.js";
import { installShortcuts } from "./moderation_keys.js";
import { captureQueue, focusDescriptor, restoreCaret, restoreQueue } from "./moderation_state.js";

const MOVING = new Set(["approve", "reject", "put_back", "archive"]);
const NOTE_MS = 10000;

function later(fn, ms) {
  return window.setTimeout(fn, ms);
}

export function initModeration(section) {
  if (!section) return null;
  const queue = section.querySelector("#contribution-queue");
  const bulk = document.getElementById("contributions-bulk");
  const announcer = section.querySelector("#contributions-announce");
  const alertBox = section.querySelector("#contributions-alert");
  const pendingCount = section.querySelector("[data-pending]");
  const selectedCount = section.querySelector("[data-selected]");
  const settings = section.querySelector("form.settings-form");
  const text = section.dataset;
  const frames = queueFrames(section.dataset.frame);
  const csrf = text.csrf;
  const notes = new Map(); // contribution id -> { message, until }
  let lastHTML = null;
  let currentId = null; // the item that takes the Tab key into the list (roving tabindex)
  let focusIntent = null; // where focus goes once an acted-on item has left its place
  let pending = Number(pendingCount?.textContent || 0);
  let known = new Set(itemIds());
  let newOnes = 0;
  let announceDue = null;

  // --- helpers -------------------------------------------------------------------

  function items() {
    return [...queue.querySelectorAll(".queue-item")];
  }

  function itemIds() {
    return items().map((li) => li.dataset.id);
  }

  function itemById(id) {
    return id ? queue.querySelector(`.queue-item[data-id="${CSS.escape(id)}"]`) : null;
  }

  function neighbourId(item) {
    const all = items();
    const at = all.indexOf(item);
    const group = item.closest("ol");
    const next = all.slice(at + 1).find((li) => li.closest("ol") === group);
    const before = all.slice(0, at).reverse().find((li) => li.closest("ol") === group);
    return (next || before || null)?.dataset.id ?? null;
  }

  function focusInQueue() {
    const active = document.activeElement;
    return !active || active === document.body || queue.contains(active);
  }

  function focusItem(item) {
    if (!item) return;
    setCurrent(item.dataset.id);
    item.focus({ preventScroll: false });
  }

  function setCurrent(id) {
    currentId = id;
    const all = items();
    const target = itemById(id) || all[0];
    for (const li of all) li.tabIndex = li === target ? 0 : -1;
  }

  function say(message) {
    // A polite note: emptied first so the same words are read again.
    announcer.textContent = "";
    later(() => { announcer.textContent = message; }, 50);
  }

  function shout(message) {
    alertBox.textContent = "";
    later(() => { alertBox.textContent = message; }, 50);
    later(() => { if (alertBox.textContent === message) alertBox.textContent = ""; }, NOTE_MS);
  }

  function showNote(id, message, live = true) {
    const item = itemById(id);
    if (!item) {
      shout(message);
      return;
    }
    notes.set(id, { message, until: Date.now() + NOTE_MS });
    placeNote(item, message, live);
    later(() => {
      const note = notes.get(id);
      if (note && note.until <= Date.now()) {
        notes.delete(id);
        itemById(id)?.querySelector(".item-note")?.remove();
      }
    }, NOTE_MS + 50);
  }

  function placeNote(item, message, live) {
    item.querySelector(".item-note")?.remove();
    const note = document.createElement("p");
    note.className = "item-note";
    // A new alert is read out at once; put back after a refresh it stays silent.
    if (live) note.setAttribute("role", "alert");
    note.textContent = message;
    item.querySelector(".queue-actions")?.before(note);
  }

  function updateSelection() {
    const n = queue.querySelectorAll("input[name=ids]:checked").length;
    if (selectedCount) selectedCount.textContent = String(n);
  }

  // --- posting forms -------------------------------------------------------------

  const post = (url, data) => postForm(url, data, csrf, text);

  queue.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    event.preventDefault();
    if (form.dataset.busy) return; // a second click while the first is on its way
    form.dataset.busy = "1";
    const submitter = event.submitter;
    const item = form.closest(".queue-item");
    const id = item?.dataset.id ?? null;
    // form.action would be the button named "action": read the attribute.
    const url = form.getAttribute("action") || "";
    const action = submitter?.name === "action" ? submitter.value : null;
    const removed = url.endsWith("/delete");
    const leaves = (action && MOVING.has(action)) || removed || url.endsWith("/merge");
    const intent = item ? { id, state: item.dataset.state, neighbour: neighbourId(item) } : null;
    const result = await post(url, formData(form, submitter));
    delete form.dataset.busy;
    if (!result.ok) {
      if (id) showNote(id, result.message);
      else shout(result.message);
      if (result.status === 409 && form.dataset.stale) {
        // Told that someone else changed the text: saving again is a conscious choice.
        const version = form.querySelector("input[name=version]");
        const now = itemById(id)?.dataset.version;
        if (version && now) version.value = now;
        delete form.dataset.stale;
      }
      return;
    }
    for (const field of form.elements) {
      if (field.tagName === "TEXTAREA") field.defaultValue = field.value; // saved: clean
      else if (field.name === "keep") field.value = "";
    }
    delete form.dataset.stale;
    if (id) {
      notes.delete(id);
      itemById(id)?.querySelector(".item-note")?.remove();
      const details = form.closest("details.tool");
      if (details) {
        details.open = false;
        if (queue.contains(document.activeElement) || document.activeElement === document.body) {
          focusItem(itemById(id));
        }
      }
    }
    if (leaves && intent) {
      focusIntent = { ...intent, until: Date.now() + 5000 };
      applyFocusIntent();
    }
  });

  function applyFocusIntent() {
    if (!focusIntent) return;
    if (Date.now() > focusIntent.until) {
      focusIntent = null;
      return;
    }
    const item = itemById(focusIntent.id);
    if (item && item.dataset.state === focusIntent.state) return; // not refreshed yet
    const { neighbour } = focusIntent;
    focusIntent = null;
    if (!focusInQueue()) return; // the moderator went elsewhere meanwhile
    focusItem(itemById(neighbour) || item || items()[0]);
  }

  // --- bulk bar ------------------------------------------------------------------

  if (bulk) {
    for (const el of bulk.querySelectorAll("[hidden]")) el.hidden = false;
    bulk.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-select]");
      if (!button) return;
      const pendingOnly = button.dataset.select === "pending";
      for (const box of queue.querySelectorAll("input[name=ids]")) {
        box.checked = pendingOnly ? box.closest(".queue-item")?.dataset.state === "pending" : false;
      }
      updateSelection();
    });
    bulk.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submitter = event.submitter;
      const chosen = [...queue.querySelectorAll("input[name=ids]:checked")].map((box) => box.value);
      if (!chosen.length) {
        shout(text.noneSelected);
        return;
      }
      if (bulk.dataset.busy) return;
      bulk.dataset.busy = "1";
      const data = new FormData();
      data.set("action", submitter?.value || "");
      data.set("ids", chosen.join(","));
      const result = await post(section.dataset.bulk, data);
      delete bulk.dataset.busy;
      if (!result.ok) {
        shout(result.message);
        return;
      }
      let done = 0;
      const failures = new Set();
      for (const outcome of result.body?.results || []) {
        const id = String(outcome.id);
        if (outcome.status === "ok") {
          done += 1;
          const box = itemById(id)?.querySelector("input[name=ids]");
          if (box) box.checked = false;
        } else {
          failures.add(outcome.message);
          showNote(id, outcome.message, false);
        }
      }
      updateSelection();
      const summary = text.done.replace("{n}", String(done));
      // Refusals are said once each, in the alert; the items show theirs beside them.
      if (failures.size) shout([summary, ...failures].join(" "));
      else say(summary);
    });
  }

  queue.addEventListener("change", (event) => {
    if (event.target.matches("input[name=ids]")) updateSelection();
  });

  // --- settings ------------------------------------------------------------------

  if (settings) {
    const status = settings.querySelector(".settings-status");
    settings.addEventListener("submit", async (event) => {
      event.preventDefault();
      status.textContent = "";
      const result = await post(settings.getAttribute("action"), new FormData(settings));
      if (result.ok) {
        for (const field of settings.elements) {
          if (field.type === "radio" || field.type === "checkbox") {
            field.defaultChecked = field.checked;
          } else if (field.tagName === "TEXTAREA") field.defaultValue = field.value;
        }
        status.classList.remove("error");
        status.textContent = text.saved;
      } else {
        status.classList.add("error");
        status.textContent = result.message;
      }
    });
  }

  // The settings form is not re-rendered: its choices follow what the queue says
  // (another moderator, or the queue's own buttons, may have changed them), unless
  // this moderator changed a choice and has not saved it yet.
  function syncSettings() {
    const state = queue.querySelector(".queue");
    if (!settings || !state) return;
    for (const name of ["open", "moderation", "screen_mode"]) {
      const radios = [...settings.querySelectorAll(`input[type=radio][name="${name}"]`)];
      if (radios.some((radio) => radio.checked !== radio.defaultChecked)) continue;
      for (const radio of radios) {
        const on = radio.value === state.dataset[name];
        radio.checked = on;
        radio.defaultChecked = on;
      }
    }
    const count = settings.querySelector('input[type=checkbox][name="screen_participants"]');
    if (count && count.checked === count.defaultChecked) {
      const on = state.dataset.screen_participants === "1";
      count.checked = on;
      count.defaultChecked = on;
    }
  }

  // --- keyboard (moderation_keys.js) -----------------------------------------------

  installShortcuts(queue, {
    items,
    focusItem,
    updateSelection,
    notPossible: (item) => showNote(item.dataset.id, text.notPossible),
    focused: (item) => {
      if (item.dataset.id !== currentId) setCurrent(item.dataset.id);
    },
  });

  // --- frames ----------------------------------------------------------------------

  function capture() {
    return { ...captureQueue(queue), focus: focusDescriptor(queue, neighbourId) };
  }

  function restore(saved) {
    restoreQueue(queue, saved);
    for (const [id, note] of notes) {
      const item = itemById(id);
      if (note.until > Date.now() && item) placeNote(item, note.message, false);
    }
    setCurrent(currentId);
    const focus = saved.focus;
    if (focus) {
      const item = itemById(focus.id);
      let target = null;
      if (focus.id === null) target = focus.selector ? queue.querySelector(focus.selector) : null;
      else if (item) target = focus.selector ? item.querySelector(focus.selector) || item : item;
      else target = itemById(focus.neighbour) || items()[0] || null;
      if (target) {
        if (target.classList.contains("queue-item")) setCurrent(target.dataset.id);
        target.focus({ preventScroll: true });
        restoreCaret(target, saved);
      }
    }
    updateSelection();
    applyFocusIntent();
  }

  function noticeNewOnes(count) {
    const waiting = items().filter((li) => li.dataset.state === "pending").map((li) => li.dataset.id);
    const fresh = waiting.filter((id) => !known.has(id)).length;
    known = new Set(itemIds());
    if (count > pending && fresh > 0) {
      newOnes += fresh;
      if (!announceDue) {
        announceDue = later(() => {
          announceDue = null;
          say(newOnes === 1 ? text.newOne : text.newMany.replace("{n}", String(newOnes)));
          newOnes = 0;
        }, 1500);
      }
    }
    pending = count;
  }

  function update(data) {
    const html = typeof data.shell === "string" ? frames.assemble(data) : data.html;
    if (html === null) {
      frames.whole().then((whole) => whole && update(whole)); // a whole queue is complete
      return;
    }
    if (typeof html === "string" && html !== lastHTML) {
      const saved = capture();
      queue.innerHTML = html; // server-rendered, escaped
      lastHTML = html;
      restore(saved);
      syncSettings();
    }
    if (typeof data.pending === "number") {
      if (pendingCount) pendingCount.textContent = String(data.pending);
      noticeNewOnes(data.pending);
    }
  }

  // Only upvotes moved: the counts change in place; the order waits for the next list,
  // so that nothing moves under the moderator's hands while the room votes.
  function votes(data) {
    for (const [id, [count, label]] of Object.entries(data.votes || {})) {
      const shown = queue.querySelector(`li.queue-item[data-id="${id}"] .votes`);
      if (!shown) continue;
      const [number, words] = shown.children;
      if (number) number.textContent = `▲ ${count}`;
      if (words) words.textContent = label;
    }
  }

  setCurrent(null);
  updateSelection();
  return { update, votes };
}
