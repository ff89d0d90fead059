// Live updates over Server-Sent Events. The server sends the full current state
// on every (re)connect, so a dropped connection only needs EventSource's retry.

export function connect(url, handlers, onStatus = () => {}) {
  const source = new EventSource(url);
  for (const [name, handle] of Object.entries(handlers)) {
    source.addEventListener(name, (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handle(data);
    });
  }
  source.addEventListener("open", () => onStatus("open"));
  source.addEventListener("error", () => onStatus(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  return source;
}

export function setHTML(element, html) {
  // Server-rendered, escaped fragments from podium itself.
  if (element && element.innerHTML !== html) element.innerHTML = html;
}
