// The Settings page: the PIN first when one is set, then one form a subject, each saved on its
// own; the kiosk's refusal is shown beside the form it concerns. The mail password is never
// filled in from the kiosk: an empty field keeps the one saved.
"use strict";
(() => {
  const { call, toast } = window.RevealApi;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);

  const fill = (form, values) => {
    for (const [key, value] of Object.entries(values)) {
      const field = form.elements.namedItem(key);
      if (field) field.value = Array.isArray(value) ? value.join("\n") : value;
    }
  };
  const shown = (id) => (text) => { $(id).textContent = text; };

  function draw(answer) {
    if (answer.locked) { $("unlock").hidden = false; $("settings").hidden = true; $("pin").focus(); return; }
    $("unlock").hidden = true;
    $("settings").hidden = false;
    fill($("studio-form"), answer.studio.details);
    fill($("kiosk-form"), answer.settings);
    const mail = { ...answer.mail };
    delete mail.passwordSet; delete mail.sender;
    fill($("mail-form"), mail);
    $("mail-form").elements.password.value = "";
    $("password-state").textContent = answer.mail.passwordSet ? "(saved; type a new one to change it)" : "(none saved)";
    $("sender").textContent = answer.mail.sender || "the studio's e-mail (enter it above)";
    drawLogo(answer.logo);
    drawBackup(answer.backup);
    $("restart").hidden = !answer.restart.length;
    $("restart").textContent = answer.restart.join(" ");
  }

  function drawBackup(backup) {
    const line = $("backup");
    line.classList.toggle("is-stale", backup.stale);
    line.textContent = backup.last
      ? `Last backup ${backup.last}, ${(backup.size / 1e6).toFixed(1)} MB, in ${backup.folder}` +
        (backup.stale ? ` — more than ${backup.staleDays} days ago: check the folder is reachable.` : ".")
      : `No backup yet in ${backup.folder}. The kiosk takes one every day at a quiet moment.`;
  }

  function drawLogo(has) {
    const img = $("logo-img");
    img.hidden = !has;
    $("logo-none").hidden = has;
    $("logo-remove").hidden = !has;
    if (has) img.src = `/api/settings/logo?${Date.now()}`;
  }

  async function load() {
    const answer = await call("/api/settings");
    if (answer) draw(answer);
  }

  $("unlock").addEventListener("submit", async (event) => {
    event.preventDefault();
    shown("unlock-error")("");
    const answer = await call("/api/settings/unlock", { pin: $("pin").value }, shown("unlock-error"));
    $("pin").value = "";
    if (answer) load();
  });

  $("studio-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    shown("studio-error")("");
    const body = Object.fromEntries(new FormData(event.target));
    if (await call("/api/studio", body, shown("studio-error"))) toast("The studio's details are saved.");
  });

  $("kiosk-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    shown("kiosk-error")("");
    const body = Object.fromEntries(new FormData(event.target));
    for (const field of event.target.querySelectorAll("input[type=number]")) body[field.name] = Number(field.value);
    body.import_roots = body.import_roots.split("\n").map((line) => line.trim()).filter(Boolean);
    const answer = await call("/api/settings", body, shown("kiosk-error"));
    if (answer) { draw(answer); toast("The kiosk's settings are saved."); }
  });

  $("mail-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    shown("mail-error")("");
    const body = Object.fromEntries(new FormData(event.target));
    body.port = Number(body.port);
    const answer = await call("/api/settings/mail", body, shown("mail-error"));
    event.target.elements.password.value = "";
    if (answer) { load(); toast("The mail server is saved."); }
  });

  $("test-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = $("test-result");
    result.className = "test-result";
    result.textContent = "Sending…";
    const answer = await call("/api/settings/mail/test", { to: event.target.elements.to.value }, shown("test-result"));
    if (!answer) { result.classList.add("is-failed"); return; }
    result.classList.add(answer.ok ? "is-ok" : "is-failed");
    result.textContent = answer.message;
  });

  $("logo-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const response = await fetch("/api/settings/logo", {
      method: "POST", body: file, credentials: "same-origin",
      headers: { "Content-Type": file.type, "X-CSRF-Token": csrf },
    }).catch(() => null);
    event.target.value = "";
    const answer = response ? await response.json().catch(() => ({})) : {};
    if (!response || !response.ok) { toast(answer.error || "The logo was not saved."); return; }
    drawLogo(true);
    toast("The logo is saved.");
  });

  $("logo-remove").addEventListener("click", async () => {
    if (await call("/api/settings/logo/remove", {})) drawLogo(false);
  });

  load();
})();
