// A file sent to the kiosk in chunks that resume where they stopped (kiosk/imports/uploads.py):
// its SHA-256 first, then each range the kiosk does not have yet, tried again with a growing
// wait when the connection drops. The import page's photos and an order's finals go this way.
//
//   const answer = await RevealUpload.send(file, "IMG_0001.JPG", {
//     start: "/api/sessions/3/uploads",                        // POST {name, size, sha256}
//     chunk: (upload, offset) => `/api/uploads/3/${upload}?offset=${offset}`,   // PUT bytes
//     progress: (text, received) => ...,                       // received: bytes, or null
//   });
"use strict";
window.RevealUpload = (() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  async function send(file, name, { start, chunk, progress = () => {} }) {
    progress("Checking…", null);
    const sha256 = await RevealSha256.ofFile(file, (part) => progress(`Checking ${Math.round(part * 100)} %`, null));
    const ask = () => post(start, { name, size: file.size, sha256 }); // also: what has arrived
    let answer = await ask();
    const most = answer.chunk;
    for (let tries = 0; !answer.whole; tries++) {
      const gap = firstGap(answer.have, file.size);
      const end = Math.min(gap[0] + most, gap[1]);
      try {
        answer = await put(chunk(answer.upload, gap[0]), file.slice(gap[0], end));
        tries = 0;
      } catch (error) {
        if (error.final || tries >= 5) throw error;
        progress("Connection lost, trying again…", null);
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** tries));
        answer = await ask();
        continue;
      }
      progress(`Sending ${Math.floor((100 * answer.received) / file.size)} %`, answer.received);
    }
    return answer;
  }

  function firstGap(have, size) {
    let at = 0;
    for (const [low, high] of have) {
      if (low > at) return [at, low];
      at = Math.max(at, high);
    }
    return [at, size];
  }

  async function post(path, body) {
    return request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }

  async function put(path, blob) {
    return request(path, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: blob });
  }

  // The answer's JSON; an Error with the kiosk's words otherwise, `final` when sending the
  // same again cannot help (a refusal, not a lost connection or a busy kiosk).
  async function request(path, options) {
    let response;
    try {
      response = await fetch(path, { ...options, headers: { ...options.headers, "X-CSRF-Token": csrf() }, credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      throw new Error("The kiosk cannot be reached.");
    }
    if (response.status === 401) { location.replace("/pair"); throw Object.assign(new Error("Pair this tablet again."), { final: true }); }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(answer.error || `The kiosk refused it (${response.status}).`);
      error.final = response.status < 500 && response.status !== 429;
      throw error;
    }
    return answer;
  }

  return { send };
})();
