// The invitation runs of an event page (templates/organiser/invitations.html): while a
// run still has mails waiting, ask the server every POLL_MS how far it is and update
// its bar and line. The lines themselves are not a live region (a number read out
// every two seconds drowns a screen reader); a polite status says the latest line at
// most every GAP_MS, and at once when a run is done. Polling stops when all are done.

const POLL_MS = 2000;
const GAP_MS = 10000;

function start(section) {
  const url = section.dataset.progress;
  const status = section.querySelector("[role=status]");
  let lastSaid = 0;
  let timer = null;

  const pending = () => section.querySelectorAll("li[data-run][data-done='0']").length > 0;

  function say(text, now) {
    if (!status) return;
    status.textContent = text;
    lastSaid = now;
  }

  function update(run) {
    const item = section.querySelector(`li[data-run='${run.id}']`);
    if (!item) return false;
    const wasDone = item.dataset.done === "1";
    const bar = item.querySelector("progress");
    const line = item.querySelector(".run-progress");
    if (bar) {
      bar.max = run.counts.total || 1;
      bar.value = run.counts.sent;
    }
    if (line) line.textContent = run.summary;
    item.dataset.done = run.done ? "1" : "0";
    return run.done && !wasDone;
  }

  async function poll() {
    timer = null;
    let data;
    try {
      const response = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch {
      timer = setTimeout(poll, POLL_MS * 2); // the server is busy or gone: try again later
      return;
    }
    const now = Date.now();
    let latest = ""; // of the newest run still sending
    let done = ""; // of a run that has just finished
    for (const run of data.runs) {
      if (update(run)) done = done || run.summary;
      else if (!run.done) latest = latest || run.summary;
    }
    if (done) say(done, now);
    else if (latest && now - lastSaid >= GAP_MS) say(latest, now);
    if (pending()) timer = setTimeout(poll, POLL_MS);
  }

  if (pending()) timer = setTimeout(poll, POLL_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !timer && pending()) poll();
  });
}

const section = document.querySelector("[data-progress]");
if (section) start(section);
