// One session: the new-session form, or a session's page (its client's details, its photos, the
// changes made to the details, archiving and deleting). A new session is made in one step and
// its page comes next, where its photos are added.
// No framework and no build step: this file is what the browser runs.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const call = RevealApi.call;
  const toast = RevealApi.toast;
  RevealApi.toastMs = 6000;
  const id = $("page").dataset.session;
  const form = $("details");
  const FIELDS = ["client", "email", "phone", "partner", "notes", "shoot_date"];
  let session = null;

  // the form -------------------------------------------------------------------------------
  function values() {
    const body = {};
    for (const name of FIELDS) body[name] = form.elements[name].value;
    const day = form.elements.viewing_date.value;
    const time = form.elements.viewing_time.value;
    body.viewing_at = day || time ? `${day}T${time}` : "";
    return body;
  }

  function fill(details) {
    for (const name of FIELDS) form.elements[name].value = details[name] || "";
    const [day, time] = (details.viewing_at || "T").split("T");
    form.elements.viewing_date.value = day;
    form.elements.viewing_time.value = time || "";
  }

  // Each problem beside its field; the first field with one gets the focus.
  function showProblems(problems) {
    let first = null;
    for (const box of form.querySelectorAll("[data-field]")) {
      const problem = problems[box.dataset.field] || "";
      const slot = box.classList.contains("field-error") ? box : box.querySelector(".field-error");
      slot.textContent = problem;
      box.classList.toggle("has-problem", Boolean(problem));
      if (problem && !first) first = box.querySelector("input, textarea");
    }
    first?.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const save = $("save");
    save.disabled = true;
    let problems = null;
    const answer = await call(id ? `/api/sessions/${id}/details` : "/api/sessions", values(), (error, body, status) => {
      if (status === 422 && body.fields) problems = body.fields;
      else toast(error);
    });
    save.disabled = false;
    showProblems(problems || {});
    if (!answer) return;
    if (!id) { location.assign(answer.url); return; } // the photos come next, on its page
    draw(answer);
    toast(answer.changed.length ? "Saved." : "Nothing had changed.");
  });

  if (!id) { form.elements.client.focus(); return; }

  // a session's page -----------------------------------------------------------------------
  async function load() {
    const answer = await call(`/api/sessions/${id}`);
    if (!answer) return;
    draw(answer);
    fill(answer.session.details);
  }

  function draw(answer) {
    session = answer.session;
    const details = session.details;
    document.title = `${details.client} · Reveal remote`;
    $("title").textContent = details.client;
    const when = [session.shootText && `Shoot ${session.shootText}`, session.viewingText && `Viewing ${session.viewingText}`];
    $("subtitle").textContent = when.filter(Boolean).join(" · ") || `Session ${session.id}`;
    $("on-tv").hidden = !session.onTv;
    $("show").hidden = session.onTv;
    const photos = session.photos;
    $("photo-count").textContent = photos
      ? `${photos} photo${photos === 1 ? "" : "s"} in this session.`
      : "No photos in this session yet.";
    const log = $("changes");
    log.replaceChildren(...answer.changes.map((change) => {
      const item = document.createElement("li");
      const when = document.createElement("span");
      when.className = "change-when dim";
      when.textContent = change.timeText;
      const what = document.createElement("span");
      what.className = "change-what";
      what.textContent = `${change.label}: ${change.old || "(empty)"} → ${change.new || "(empty)"}`;
      item.append(when, what);
      return item;
    }));
    $("no-changes").hidden = answer.changes.length > 0;
    drawInvitation(session.invitation);
    $("archive").textContent = session.archived ? "Bring back to the list" : "Archive";
    $("delete").disabled = !session.deletable;
    $("keep-why").textContent = session.invoices
      ? "This session has an invoice: it can be archived, never deleted."
      : session.onTv
        ? "This session is on the TV: show another one before deleting it."
        : session.archived
          ? "Archived: hidden from the list unless Show archived is on. Nothing of it is lost."
          : "Archiving hides it from the list and keeps everything. Deleting removes it and its cached previews for good.";
  }

  // The viewing's invitation: its state (queued, sent, failed and why, when), and the button,
  // which says what is missing when it cannot be sent.
  function drawInvitation(invitation) {
    const state = $("invite-state");
    state.dataset.status = invitation.status;
    state.textContent = invitation.status === "none"
      ? "Not sent yet."
      : `${invitation.count > 1 ? `Sent ${invitation.count} times; the last: ` : ""}${invitation.text.replace(/\.$/, "")} · ${invitation.when} · to ${invitation.to}`;
    $("invite-why").textContent = invitation.why;
    $("invite-why").hidden = !invitation.why;
    const button = $("invite");
    button.disabled = !invitation.canSend;
    button.textContent = invitation.status === "none" ? "Send invitation" : "Send it again…";
  }

  $("invite").addEventListener("click", async () => {
    const button = $("invite");
    button.disabled = true;
    let question = null;
    const refused = (error, body, status) => {
      if (status === 409 && body.confirm) question = { error, confirm: body.confirm };
      else toast(error);
    };
    let answer = await call(`/api/sessions/${id}/invite`, { again: false }, refused);
    if (question && await ask(question.error, question.confirm, "Send again")) {
      answer = await call(`/api/sessions/${id}/invite`, { again: true }, refused);
    }
    button.disabled = !session.invitation.canSend;
    if (!answer) return;
    draw(answer);
    toast(`The invitation is queued for ${answer.session.invitation.to}.`);
  });

  function ask(title, text, yes) {
    const dialog = $("ask");
    $("ask-title").textContent = title;
    $("ask-text").textContent = text;
    $("ask-yes").textContent = yes;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "yes"), { once: true });
    });
  }

  $("show").addEventListener("click", async () => {
    let question = null;
    const refused = (error, body, status) => {
      if (status === 409 && body.confirm) question = { error, confirm: body.confirm };
      else toast(error);
    };
    let answer = await call(`/api/sessions/${id}/show`, { confirm: false }, refused);
    if (question && await ask(question.error, question.confirm, "Show anyway")) {
      answer = await call(`/api/sessions/${id}/show`, { confirm: true }, refused);
    }
    if (!answer) return;
    toast(answer.cache_message || `${session.details.client} is on the TV now.`); // originals missing
    load();
  });

  $("archive").addEventListener("click", async () => {
    const answer = await call(`/api/sessions/${id}/archive`, { archived: !session.archived });
    if (!answer) return;
    draw(answer);
    toast(answer.session.archived ? "Archived: hidden from the list, nothing lost." : "Back in the list.");
  });

  // Deleting asks twice: the button arms, then the dialog names what goes.
  let armed = null;
  $("delete").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    if (!armed) {
      button.classList.add("arming");
      button.textContent = "Tap again to delete";
      armed = setTimeout(() => { armed = null; button.classList.remove("arming"); button.textContent = "Delete…"; }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.classList.remove("arming");
    button.textContent = "Delete…";
    const name = session.details.client;
    const photos = session.photos ? `its ${session.photos} photos' previews, ` : "";
    const sure = await ask(`Delete ${name}'s session for good?`,
      `Its details, ${photos}decisions and notes are removed and cannot be brought back. The original photo files are not touched.`,
      "Delete for good");
    if (!sure) return;
    const answer = await call(`/api/sessions/${id}/delete`, { confirm: true });
    if (!answer) return;
    toast(answer.message);
    setTimeout(() => location.assign("/remote/sessions"), 1200);
  });

  // An import from this page ended (static/imports.js): the photos counted again, the form left as typed.
  document.addEventListener("reveal:photos-added", async () => { const answer = await call(`/api/sessions/${id}`); if (answer) draw(answer); });
  load();
})();
