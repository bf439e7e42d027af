// Lock after the chosen idle time. The server locks too; this moves the page to the lock screen
// so nothing stays on view.
// "safetrail:busy" is sent by other scripts while work goes on without the person touching
// anything (an upload in progress), so the page is not locked in the middle of it.
const ACTIVITY = ["keydown", "pointerdown", "input", "scroll", "touchstart", "safetrail:busy"];

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
