// Opened from the TV's QR code, the form arrives filled in: send it, so scanning is enough.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const code = document.getElementById("code");
  if (code && code.dataset.auto) document.getElementById("pair-form").requestSubmit();
});
