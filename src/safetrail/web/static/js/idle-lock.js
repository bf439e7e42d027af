// Lock after the chosen idle time. The server locks too; this moves the page to the lock screen
// so nothing stays on view.
const ACTIVITY = ["keydown", "pointerdown", "input", "scroll", "touchstart"];

export function startIdleLock(doc) {
  const seconds = Number(doc.body.dataset.idleSeconds || "0");
  const form = doc.getElementById("lock-form");
  if (!seconds || !form) {
    return;
  }
  let timer = 0;
  const restart = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => form.submit(), seconds * 1000);
  };
  for (const name of ACTIVITY) {
    doc.addEventListener(name, restart, { passive: true });
  }
  restart();
}
