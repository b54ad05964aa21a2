// The remote's "Video call" button: a link to the room display for a client at home, valid
// until midnight, with lighter previews. Shared through the tablet's share sheet where the
// browser has one, else shown to copy into the call's chat.
"use strict";
(() => {
  const button = document.getElementById("call-link");
  if (!button) return;
  button.addEventListener("click", async () => {
    const made = await window.RevealApi.call("/api/display/call", {});
    if (!made) return;
    const text = "The studio's screen, live, for today";
    if (navigator.share) {
      try { await navigator.share({ title: text, url: made.url }); return; } catch (_) { /* shown below */ }
    }
    window.prompt("Send this link to the client on the call (it works until midnight):", made.url);
  });
})();
