// The contributions lists as the live frames carry them (web/contribution_frames.py):
// the participants' list (contributions.js) and the moderators' queue (moderation.js);
// and the keyboard focus kept across a list's changes.

// A frame names every item of the list with its revision and upvotes, and carries the
// HTML only of items the frame before did not show: the rest is kept here, unmarked.
export function listFrames(code) {
  const sent = new Map(); // id -> { rev, html }

  // The list's HTML, or null when the frame names a revision not kept here (joined
  // between two frames, or one was skipped): then ask for the whole list.
  function assemble(data) {
    const order = Array.isArray(data.order) ? data.order : [];
    for (const [id, rev] of order) {
      const html = data.items?.[id];
      if (typeof html === "string") sent.set(String(id), { rev, html });
    }
    const parts = [];
    for (const [id, rev] of order) {
      const known = sent.get(String(id));
      if (!known || known.rev !== rev) return null;
      parts.push(known.html);
    }
    const listed = new Set(order.map(([id]) => String(id)));
    for (const id of [...sent.keys()]) if (!listed.has(id)) sent.delete(id);
    return data.before + (parts.length ? parts.join("") : data.empty) + data.after;
  }

  return { assemble, whole: wholeList(`/p/${encodeURIComponent(code)}/contributions/frame`) };
}

// The moderators' queue: a shell with a placeholder <!--q:id:revision--> per item, and
// the HTML of the items the frame before did not show, keyed "id:revision".
export function queueFrames(url) {
  let kept = new Map();

  // The queue's HTML, or null when an item is neither in the frame nor kept here.
  function assemble(data) {
    const items = data.items || {};
    const used = new Map();
    let missing = false;
    const html = data.shell.replace(/<!--q:(\d+):(\w+)-->/g, (all, id, rev) => {
      const key = `${id}:${rev}`;
      const found = items[key] ?? kept.get(key);
      if (found === undefined) missing = true;
      else used.set(key, found);
      return found ?? "";
    });
    if (missing) return null;
    kept = used;
    return html;
  }

  return { assemble, whole: wholeList(url) };
}

// Asks for the whole list as a frame (every item): null when offline, then the
// stream's reconnect brings it. One request at a time.
function wholeList(url) {
  let asking = null;
  return () => {
    asking ??= fetch(url, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null)
      .finally(() => { asking = null; });
    return asking;
  };
}

// Where the keyboard focus is in the list, to put it back after the list changed.
export function focusKeeper(holder, fallback) {
  function remember() {
    const active = document.activeElement;
    if (!active || !holder.contains(active)) return null;
    const li = active.closest("li[data-id]");
    const all = [...holder.querySelectorAll("li[data-id]")];
    return { id: li?.dataset.id, index: all.indexOf(li) };
  }

  function restore(memo) {
    if (!memo || holder.contains(document.activeElement)) return;
    let li = memo.id ? holder.querySelector(`li[data-id="${memo.id}"]`) : null;
    if (!li || !li.querySelector("button")) {
      // Gone (taken down, or out of the list): the one now in its place, else the heading.
      const all = [...holder.querySelectorAll("li[data-id]")].filter((el) => el.querySelector("button"));
      li = all[Math.min(Math.max(memo.index, 0), all.length - 1)] || null;
    }
    const target = li?.querySelector("button") || fallback;
    target?.focus({ preventScroll: true });
  }

  return { remember, restore };
}
