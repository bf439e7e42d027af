// Quick exit: the button, or Escape pressed three times within two seconds.
// Locks the casebook (a beacon, so leaving never waits for it), then replaces this page with the
// neutral site so the app's page is not left in the back history.
// A classic script loaded in <head>, not a module: it listens from the first moment the page
// exists, before the rest of the page or the other scripts have loaded.
(function () {
  "use strict";
  var PRESSES = 3;
  var WINDOW_MS = 2000;
  var presses = [];
  var leaving = false;

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    var body = document.body;
    var target = (body && body.getAttribute("data-exit-url")) || "about:blank";
    var form = new FormData();
    form.append("csrf_token", (body && body.getAttribute("data-csrf")) || "");
    try {
      navigator.sendBeacon("/exit", form);
    } catch (error) {
      // Leaving matters more than locking here; the server also locks when idle.
    }
    // A changed cookie keeps Chrome from bringing back this site's pages from its back/forward
    // cache; pages it still brings back reload (see "pageshow" below) and meet the lock.
    document.cookie = "safetrail_left=" + Date.now() + "; path=/; SameSite=Strict";
    document.title = "";
    if (body) {
      body.replaceChildren();
    }
    window.location.replace(target);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-quick-exit]");
    if (button) {
      event.preventDefault();
      leave();
    }
  }, true);

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      window.location.reload();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (at) { return now - at < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= PRESSES) {
      leave();
    }
  }, true);
})();
