// Bring an element up to date with new server HTML in place. The presenter's
// contributions are a live region: replaced wholesale, a screen reader would read the
// whole list again at every upvote. Patched, only what changed is new to it. Children
// are matched by data-id (a contribution), else by tag and class at their turn; they
// are kept, moved, added or removed, and only an element whose own text changed is
// rewritten. The HTML is podium's own, server-rendered and escaped.

export function patchHTML(target, html) {
  const parsed = document.createElement("template");
  parsed.innerHTML = html;
  const fresh = document.createElement("div");
  fresh.append(parsed.content);
  patchChildren(target, fresh);
}

function key(el) {
  return el.dataset.id ? `${el.tagName}#${el.dataset.id}` : `${el.tagName}.${el.className}`;
}

function hasOwnText(el) {
  return [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
}

function syncAttributes(old, fresh) {
  for (const { name } of [...old.attributes]) {
    if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  }
  for (const { name, value } of [...fresh.attributes]) {
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
}

function patchChildren(old, fresh) {
  if (old.innerHTML === fresh.innerHTML) return;
  if (hasOwnText(old) || hasOwnText(fresh)) {
    old.innerHTML = fresh.innerHTML; // a leaf of text (and inline marks): rewrite it
    return;
  }
  const pool = [...old.children];
  const wanted = [...fresh.children].map((f) => {
    const i = pool.findIndex((o) => key(o) === key(f));
    if (i < 0) return f; // new: taken over from the fresh HTML
    const [o] = pool.splice(i, 1);
    syncAttributes(o, f);
    patchChildren(o, f);
    return o;
  });
  for (const gone of pool) gone.remove();
  wanted.forEach((el, i) => {
    if (old.children[i] !== el) old.insertBefore(el, old.children[i] ?? null);
  });
}
