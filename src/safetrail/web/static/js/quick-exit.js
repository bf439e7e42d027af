// Quick exit: the button, or Escape pressed three times within two seconds.
// Locks the casebook (a beacon, so leaving never waits for it), then replaces this page with the
// neutral site so the app's page is not left in the back history.
const PRESSES = 3;
const WINDOW_MS = 2000;

function leave(body) {
  const form = new FormData();
  form.append("csrf_token", body.dataset.csrf || "");
  try {
    navigator.sendBeacon("/exit", form);
  } catch (error) {
    // Leaving matters more than locking here; the server also locks when idle.
  }
  document.title = "";
  document.body.replaceChildren();
  window.location.replace(body.dataset.exitUrl || "about:blank");
}

export function startQuickExit(doc) {
  const body = doc.body;
  for (const button of doc.querySelectorAll("[data-quick-exit]")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      leave(body);
    });
  }
  let presses = [];
  doc.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    const now = Date.now();
    presses = presses.filter((at) => now - at < WINDOW_MS);
    presses.push(now);
    if (presses.length >= PRESSES) {
      leave(body);
    }
  });
}
