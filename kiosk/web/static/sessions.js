// The studio's sessions: every client, newest first, searched as it is typed; "Show on the TV"
// switches the kiosk to one at once (asking first when the TV's order is half made). The list
// is fetched from /api/sessions and again every few seconds (decisions arrive from the TV).
// No framework and no build step: this file is what the browser runs.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 10000;
  const SEARCH_WAIT_MS = 200;
  const call = RevealApi.call;
  const toast = RevealApi.toast;
  RevealApi.toastMs = 6000;

  const PAGE = 60; // sessions asked for at first; "Show more" asks for as many again
  let showArchived = false;
  let wanted = PAGE;
  let asked = 0; // the newest request: an older answer arriving late is not drawn
  let switching = false;

  async function load() {
    const number = ++asked;
    const params = new URLSearchParams({ q: $("search").value.trim(), limit: String(wanted) });
    if (showArchived) params.set("archived", "1");
    const answer = await call(`/api/sessions?${params}`);
    if (!answer || number !== asked) return;
    draw(answer.sessions, answer.showing, answer.total);
  }

  function draw(sessions, showing, total) {
    const list = $("sessions");
    list.setAttribute("aria-busy", "false");
    for (const old of list.querySelectorAll(".session, .more")) old.remove();
    const searching = $("search").value.trim();
    $("empty").hidden = sessions.length > 0;
    $("empty").textContent = searching
      ? `No session of a client matching “${searching}”.`
      : "No sessions yet. Make one with New session.";
    for (const session of sessions) list.append(row(session, showing));
    if (total > sessions.length) list.append(more(total - sessions.length));
    const word = total === 1 ? "session" : "sessions";
    $("summary").textContent = searching
      ? `${total} ${word} matching “${searching}”`
      : `${total} ${word}${showArchived ? ", archived ones too" : ""}`;
  }

  // Years of sessions come a page at a time: the newest first, older ones when asked.
  function more(left) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn more";
    button.textContent = `Show ${Math.min(left, PAGE)} more (${left} older)`;
    button.addEventListener("click", () => { wanted += PAGE; load(); });
    return button;
  }

  function row(session, showing) {
    const card = $("session-row").content.firstElementChild.cloneNode(true);
    const put = (selector, text) => { card.querySelector(selector).textContent = text; };
    card.dataset.id = session.id;
    card.classList.toggle("is-on-tv", session.id === showing);
    card.classList.toggle("is-archived", Boolean(session.archived));
    card.querySelector(".who-cell").href = `/remote/sessions/${session.id}`;
    put(".name", session.client);
    put(".partner", session.partner ? `& ${session.partner}` : session.email || "");
    put(".last", session.archived ? "Archived" : session.last_activity ? `Last activity ${session.lastText}` : "Never opened");
    put(".shoot", session.shootText || "—");
    put(".viewing", session.viewingText || "—");
    if (session.invitation) { // the viewing's invitation, under it: queued, sent or failed
      const row = document.createElement("div");
      const what = document.createElement("dt");
      what.textContent = "Invite";
      const state = document.createElement("dd");
      const badge = document.createElement("span");
      badge.className = `invite-badge is-${session.invitation.status}`;
      badge.textContent = { queued: "Queued", sending: "Queued", sent: "Sent", failed: "Failed" }[session.invitation.status] || "—";
      badge.title = `${session.invitation.text} (${session.invitation.when})`;
      state.append(badge, ` ${session.invitation.when}`);
      row.append(what, state);
      card.querySelector(".dates").append(row);
    }
    put(".photos", String(session.images));
    put(".decided", session.images ? `${session.decided} of ${session.images}` : "—");
    put(".total", session.totalText || "—");
    put(".status", session.statusText || "—");
    const onTv = session.id === showing;
    card.querySelector(".on-tv").hidden = !onTv;
    const show = card.querySelector(".show");
    show.hidden = onTv;
    show.setAttribute("aria-label", `Show ${session.client} on the TV`);
    show.addEventListener("click", () => showOnTv(session, show));
    return card;
  }

  // "Show on the TV": the kiosk may answer with a question (409) before it leaves an order.
  async function showOnTv(session, button, confirm = false) {
    if (switching) return;
    switching = true;
    button.disabled = true;
    let question = null;
    const answer = await call(`/api/sessions/${session.id}/show`, { confirm }, (error, body, status) => {
      if (status === 409 && body.confirm) question = { error, confirm: body.confirm };
      else toast(error);
    });
    switching = false;
    button.disabled = false;
    if (question) {
      if (await ask(question.error, question.confirm)) return showOnTv(session, button, true);
      return;
    }
    if (!answer) return;
    toast(answer.cache_message || `${session.client} is on the TV now.`); // originals missing
    load();
  }

  function ask(title, text) {
    const dialog = $("ask");
    $("ask-title").textContent = title;
    $("ask-text").textContent = text;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    });
  }

  let searchTimer = null;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { wanted = PAGE; load(); }, SEARCH_WAIT_MS);
  });
  $("archived").addEventListener("click", (event) => {
    showArchived = !showArchived;
    wanted = PAGE;
    event.currentTarget.setAttribute("aria-pressed", String(showArchived));
    load();
  });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
  setInterval(() => { if (!document.hidden && !switching) load(); }, REFRESH_MS);
  load();
})();
