// The moderation console's forms, posted without a reload: the session's CSRF token
// added, JSON asked for, and every failure turned into a message to show.

// `text` holds the console's wording: `offline` and `failed`.
export async function postForm(url, data, csrf, text) {
  data.set("csrf", csrf);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, message: text.offline };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.ok) return { ok: true, body };
  return { ok: false, status: response.status, message: body?.message || text.failed };
}

// The form's fields and the button that sent it (FormData leaves the button out).
export function formData(form, submitter) {
  const data = new FormData(form);
  if (submitter?.name) data.set(submitter.name, submitter.value);
  return data;
}
