// What the photographer's pages (remote.js, orders.js) share: talking to the kiosk with the
// pairing's CSRF header, the toast that says what went wrong, and an order card's sections.
"use strict";
window.RevealApi = (() => {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const api = { toastMs: 5000 };

  let toastTimer = null;
  api.toast = (text) => {
    const box = document.getElementById("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, api.toastMs);
  };

  // GET `path` when `body` is undefined, else POST it as JSON. The kiosk's answer, or null once
  // a refusal has been shown with `refused` (the toast unless a form shows its own; it gets the
  // whole answer and the status too: a question to ask, each field's problem); a tablet whose
  // pairing is gone goes back to the pairing page.
  api.call = async (path, body, refused = api.toast) => {
    let response;
    try {
      response = await fetch(path, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      api.toast("The kiosk cannot be reached. Check that this tablet is on the studio Wi-Fi.");
      return null;
    }
    if (response.status === 401) { location.replace("/pair"); return null; }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      refused(answer.error || `The kiosk refused that (${response.status}).`, answer, response.status);
      return null;
    }
    return answer;
  };

  // An order card's section on the Orders page (payments, lines, finals, gallery): the
  // template `templateId` cloned once per card, above its links. Null when the card has one
  // already (in `drawn`, a WeakMap card -> section) or is not an order's.
  api.orderSection = (card, templateId, drawn) => {
    if (drawn.has(card) || !card.dataset.number) return null;
    const section = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    drawn.set(card, section);
    const anchor = card.querySelector(".links");
    anchor ? anchor.before(section) : card.append(section);
    return section;
  };

  return api;
})();
