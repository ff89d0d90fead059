// What a moderator has in hand when the queue is rendered anew (a frame arrived):
// open tools, text being typed, the bulk selection, the focus and the caret.
// moderation.js captures it before and restores it after.

export function focusDescriptor(queue, neighbourId) {
  const active = document.activeElement;
  if (!active || !queue.contains(active)) return null;
  const item = active.closest(".queue-item");
  const found = { id: item?.dataset.id ?? null, neighbour: item ? neighbourId(item) : null };
  if (active === item) found.selector = null;
  else if (active.id) found.selector = `#${CSS.escape(active.id)}`;
  else if (active.dataset.key) found.selector = `[data-key="${active.dataset.key}"]`;
  else if (active.dataset.f) found.selector = `[data-f="${active.dataset.f}"]`;
  else if (active.matches("summary")) found.selector = `details[data-keep="${active.parentElement.dataset.keep}"] > summary`;
  else found.selector = null;
  return found;
}

export function captureQueue(queue) {
  const open = new Map();
  for (const details of queue.querySelectorAll("details[data-keep]")) open.set(details.dataset.keep, details.open);
  const fields = new Map();
  for (const field of queue.querySelectorAll("textarea[id], input[id]:not([type=checkbox])")) {
    if (field.value === field.defaultValue && !field.form?.dataset.stale) continue;
    const version = field.form?.querySelector("input[name=version]");
    fields.set(field.id, {
      value: field.value,
      defaultValue: field.defaultValue,
      version: version?.value ?? null,
      stale: Boolean(field.form?.dataset.stale),
      start: field.selectionStart,
      end: field.selectionEnd,
    });
  }
  const selected = new Set(
    [...queue.querySelectorAll("input[name=ids]:checked")].map((box) => box.value),
  );
  return { open, fields, selected };
}

export function restoreQueue(queue, saved) {
  for (const details of queue.querySelectorAll("details[data-keep]")) {
    if (saved.open.has(details.dataset.keep)) details.open = saved.open.get(details.dataset.keep);
  }
  for (const [id, kept] of saved.fields) {
    const field = queue.querySelector(`#${CSS.escape(id)}`);
    if (!field) continue;
    // Someone else changed the text meanwhile: keep the version this text was
    // begun on, so that saving it is refused instead of overwriting theirs.
    const stale = kept.stale || field.defaultValue !== kept.defaultValue;
    field.value = kept.value;
    const version = field.form?.querySelector("input[name=version]");
    if (stale && version && kept.version !== null) {
      version.value = kept.version;
      field.form.dataset.stale = "1";
    }
  }
  for (const box of queue.querySelectorAll("input[name=ids]")) box.checked = saved.selected.has(box.value);
}

export function restoreCaret(target, saved) {
  const kept = target.id ? saved.fields.get(target.id) : null;
  if (kept && typeof kept.start === "number" && target.setSelectionRange) {
    try {
      target.setSelectionRange(kept.start, kept.end);
    } catch {
      /* not a text field */
    }
  }
}
