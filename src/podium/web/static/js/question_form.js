// The question form shows every kind's settings without script; this shows only
// the fieldsets of the chosen kind. Hidden fieldsets are also disabled, so that a
// value left in another kind's field can neither block the browser's own checks
// nor be sent.
for (const form of document.querySelectorAll("form[data-question-form]")) {
  const kind = form.querySelector("select[name=kind]");
  if (!kind) continue;
  const sections = form.querySelectorAll("fieldset[data-kinds]");
  const update = () => {
    for (const section of sections) {
      const off = !section.dataset.kinds.split(" ").includes(kind.value);
      section.hidden = off;
      section.disabled = off;
    }
  };
  kind.addEventListener("change", update);
  update();
}
