// The participants' contributions list as the live frames carry it, and the keyboard
// focus kept across its changes. Used by contributions.js.

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

  let asking = null;
  // The whole list as a frame (every item): null when offline, then the stream's
  // reconnect brings it.
  function whole() {
    asking ??= fetch(`/p/${encodeURIComponent(code)}/contributions/frame`, {
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null)
      .finally(() => { asking = null; });
    return asking;
  }

  return { assemble, whole };
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
