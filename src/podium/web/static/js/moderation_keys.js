// Keyboard shortcuts of the contributions queue, when the focus is in the list and
// not in a text field: j/k or the arrows move, a r h d p u x act on the item (by the
// buttons' data-key), e opens its edit form, space selects it, Escape closes a form.

const ACTION_KEYS = new Set(["a", "r", "h", "d", "p", "u", "x"]);

export function isTextField(el) {
  if (!el || !el.matches) return false;
  if (el.isContentEditable || el.matches("textarea, select")) return true;
  if (!el.matches("input")) return false;
  return !["checkbox", "radio", "button", "submit", "reset", "hidden"].includes(el.type);
}

// `queue`: the list's element. `api`: items() (every item), focusItem(item),
// updateSelection(), notPossible(item) (the key's action does not apply), focused(item).
export function installShortcuts(queue, api) {
  function visibleItems() {
    return api.items().filter((li) => li.offsetParent !== null || li === document.activeElement);
  }

  function move(from, step) {
    const all = visibleItems();
    if (!all.length) return;
    let at = from ? all.indexOf(from) : -1;
    if (at === -1) at = step > 0 ? -1 : all.length;
    api.focusItem(all[Math.min(all.length - 1, Math.max(0, at + step))]);
  }

  queue.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (event.key === "Escape") {
      // Close the open form of an item (edit, merge, ban, delete) and go back to it.
      const details = target.closest("details.tool[open]");
      if (details) {
        event.preventDefault();
        details.open = false;
        details.querySelector("summary")?.focus();
      }
      return;
    }
    if (isTextField(target)) return;
    const item = target.closest(".queue-item");
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "j" || key === "ArrowDown" || key === "k" || key === "ArrowUp") {
      event.preventDefault();
      move(item, key === "j" || key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (!item) return;
    if (key === " " && target === item) {
      event.preventDefault();
      const box = item.querySelector("input[name=ids]");
      if (box) {
        box.checked = !box.checked;
        api.updateSelection();
      }
      return;
    }
    if (key === "e") {
      event.preventDefault();
      const details = item.querySelector('details[data-keep^="edit-"]');
      if (details) {
        details.open = true;
        details.querySelector("textarea")?.focus();
      }
      return;
    }
    if (ACTION_KEYS.has(key)) {
      event.preventDefault();
      const button = item.querySelector(`.queue-actions button[data-key="${key}"]`);
      if (button) button.click();
      else api.notPossible(item);
    }
  });

  queue.addEventListener("focusin", (event) => {
    const item = event.target.closest(".queue-item");
    if (item) api.focused(item);
  });
}
