// A word cloud as a PNG, for slides and documents that take no SVG: the browser draws
// the SVG download onto a canvas at twice its size and saves that. Without JavaScript
// the button stays hidden and the SVG link is there.

const SCALE = 2;

function loaded(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`could not load ${url}`));
    image.src = url;
  });
}

async function savePng(button) {
  const url = button.dataset.png;
  const image = await loaded(url);
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth * SCALE;
  canvas.height = image.naturalHeight * SCALE;
  canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = button.dataset.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

for (const button of document.querySelectorAll("button[data-png]")) {
  button.closest("[hidden]")?.removeAttribute("hidden");
  button.addEventListener("click", () => {
    button.disabled = true;
    savePng(button)
      // a browser that cannot draw it still gets the picture: the SVG file
      .catch(() => { window.location.assign(button.dataset.png); })
      .finally(() => { button.disabled = false; });
  });
}
