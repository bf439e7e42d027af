// Safetrail's small enhancements. Every page works without them.
// No inline script is allowed (CSP), so everything is wired here from data- attributes.
// Quick exit is not here: quick-exit.js is a classic script in <head>, so it works at once.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { startIdleLock } from "./idle-lock.js";
import { startDrafts } from "./drafts.js";
import { startUploads } from "./uploads.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
startIdleLock(document);
startDrafts(document);
startUploads(document);
initAll();
