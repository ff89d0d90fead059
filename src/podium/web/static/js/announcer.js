// One polite status region per page, in the page's HTML from the start (a region
// added later is often not heard). Answers, new questions, results, contributions and
// the character counter all speak through it: at most one announcement per
// INTERVAL_MS, and a message that has to wait is replaced by a newer one, so a busy
// room never queues a stream of stale words in a screen reader.

export const INTERVAL_MS = 3000;

export function announcer(region, interval = INTERVAL_MS) {
  let last = -Infinity;
  let queued = "";
  let timer = null;

  function write(text) {
    last = Date.now();
    region.textContent = text;
  }

  return function announce(text) {
    if (!text) return;
    const wait = last + interval - Date.now();
    if (wait <= 0 && !timer) {
      write(text);
      return;
    }
    queued = text;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      write(queued);
    }, Math.max(0, wait));
  };
}

// The page's other messages stay where they are shown (visible status lines, hidden
// notes that scripts fill) but are not live: their new text is passed on here.
export function relay(announce, sources) {
  const observer = new MutationObserver((changes) => {
    // The latest change wins, as in the announcer's own queue.
    const target = changes[changes.length - 1].target;
    const el = target.nodeType === 1 ? target : target.parentElement;
    const source = sources.find((s) => s.contains(el));
    const text = source?.textContent.trim();
    if (text) announce(text);
  });
  for (const source of sources) {
    observer.observe(source, { childList: true, characterData: true, subtree: true });
  }
}
