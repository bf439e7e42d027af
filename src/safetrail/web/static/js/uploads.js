// File uploads with a progress bar and drag and drop. Without JS the form posts as usual.
// A form opts in with data-upload; it holds a <progress data-upload-progress hidden> and a
// drop zone [data-drop-zone] containing the file input.
function sendWithProgress(form, progress, message) {
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.upload.addEventListener("progress", (event) => {
    document.dispatchEvent(new Event("safetrail:busy"));
    if (event.lengthComputable) {
      progress.value = Math.round((event.loaded / event.total) * 100);
      message.textContent = "Sending: " + progress.value + "%";
    }
  });
  const busy = window.setInterval(() => document.dispatchEvent(new Event("safetrail:busy")), 30000);
  request.addEventListener("loadend", () => window.clearInterval(busy));
  request.upload.addEventListener("load", () => {
    message.textContent = "Received. Safetrail is reading the files; this can take a while.";
  });
  request.addEventListener("load", () => {
    if (request.status >= 400) {
      // A problem page (the form again with its error summary): show it as the server sent it.
      document.open();
      document.write(request.responseText);
      document.close();
      return;
    }
    // The server answers with a redirect to the summary page, which the request followed.
    window.location.assign(request.responseURL || "/evidence");
  });
  const button = form.querySelector("button[type=submit]");
  request.addEventListener("error", () => {
    message.textContent = "The files could not be sent. Please try again.";
    if (button) {
      button.disabled = false;
    }
  });
  if (button) {
    button.disabled = true;
  }
  progress.hidden = false;
  request.send(new FormData(form));
}

function wireDropZone(zone, input) {
  const on = (event) => {
    event.preventDefault();
    zone.classList.add("st-drop-zone--active");
  };
  const off = () => zone.classList.remove("st-drop-zone--active");
  zone.addEventListener("dragover", on);
  zone.addEventListener("dragenter", on);
  zone.addEventListener("dragleave", off);
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    off();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
}

export function startUploads(doc) {
  for (const form of doc.querySelectorAll("form[data-upload]")) {
    const progress = form.querySelector("[data-upload-progress]");
    const message = form.querySelector("[data-upload-message]");
    const zone = form.querySelector("[data-drop-zone]");
    const input = form.querySelector("input[type=file]");
    if (zone && input) {
      wireDropZone(zone, input);
    }
    if (!progress || !message) {
      continue;
    }
    form.addEventListener("submit", (event) => {
      if (!input || !input.files || input.files.length === 0) {
        return; // nothing to send: the ordinary post brings back the form with its error
      }
      event.preventDefault();
      sendWithProgress(form, progress, message);
    });
  }
}
