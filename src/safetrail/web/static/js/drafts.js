// Save a draft of a form as the person types, into the encrypted casebook.
// A form opts in with data-draft-url="/diary/draft" and an element with data-draft-status.
const PAUSE_MS = 1200;

export function startDrafts(doc) {
  for (const form of doc.querySelectorAll("form[data-draft-url]")) {
    const status = form.querySelector("[data-draft-status]");
    let timer = 0;
    let sending = false;
    const save = async () => {
      if (sending) {
        timer = window.setTimeout(save, PAUSE_MS);
        return;
      }
      sending = true;
      try {
        const response = await fetch(form.dataset.draftUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
        });
        if (status) {
          status.textContent = response.ok
            ? "Draft saved (encrypted) at " + new Date().toLocaleTimeString()
            : "The draft could not be saved just now. Your words are still on this page.";
        }
      } catch (error) {
        if (status) {
          status.textContent = "The draft could not be saved just now.";
        }
      } finally {
        sending = false;
      }
    };
    form.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, PAUSE_MS);
    });
  }
}
