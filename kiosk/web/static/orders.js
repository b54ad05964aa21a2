// The photographer's orders: every invoice, its status, its e-mail and its export. The list is
// fetched from /api/orders and again every few seconds (the e-mail's state changes on its own,
// as the kiosk's outbox retries); each button POSTs and redraws its order from the answer.
// No framework and no build step: this file is what the browser runs.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 10000;

  let statuses = [];
  const cards = new Map(); // order number -> its <article>
  const busy = new Set(); // order numbers with a request on the way: not redrawn meanwhile
  const justExported = new Map(); // order number -> {folder, files}, from this page's export
  const exporting = new Map(); // order number -> its export under way, as last polled
  const EXPORT_POLL_MS = 700;

  // talking to the kiosk: api.js -----------------------------------------------------------
  RevealApi.toastMs = 6000; // an order's message is longer than a remote's
  const call = RevealApi.call;
  const toast = RevealApi.toast;

  let loading = false;
  async function load() {
    if (loading) return;
    loading = true;
    const answer = await call("/api/orders");
    loading = false;
    if (!answer) return;
    statuses = answer.statuses;
    $("exports").textContent = `Exports are written to ${answer.exports}`;
    drawStudio(answer.studio);
    for (const job of answer.exporting || []) {
      if (!exporting.has(job.number)) follow(job); // an export started before this page opened
    }
    draw(answer.orders);
  }

  // an export under way: polled until it is done, its progress drawn on its order's card ----
  async function follow(job) {
    exporting.set(job.number, job);
    while (job && job.state === "running") {
      drawExport(job.number);
      await new Promise((resolve) => setTimeout(resolve, EXPORT_POLL_MS));
      const answer = await call(`/api/orders/${job.number}/export`);
      if (!answer) break; // the toast said why; the next refresh shows the folder if any
      job = answer.export;
      if (job) exporting.set(job.number, job);
    }
    const number = job ? job.number : null;
    if (number === null) return;
    exporting.delete(number);
    if (job.state === "done") {
      justExported.set(number, { folder: job.folder, files: job.files, problems: job.problems });
      toast(job.problems.length
        ? `Exported, but ${job.problems.length} file${job.problems.length === 1 ? "" : "s"} could not be made: see the order.`
        : "The order is exported.");
    } else if (job.state === "failed") {
      toast(job.error);
    }
    drawExport(number);
    load();
  }

  function drawExport(number) {
    const card = cards.get(number);
    if (!card) return;
    const job = exporting.get(number);
    const button = card.querySelector(".export");
    const line = card.querySelector(".export-progress");
    button.disabled = Boolean(job);
    button.textContent = job ? "Exporting…" : "Export";
    line.hidden = !job;
    if (!job) return;
    const bar = line.querySelector("progress");
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    line.querySelector(".export-text").textContent = job.total
      ? `Production files: ${job.done} of ${job.total}${job.current ? ` · ${job.current}` : ""}`
      : "Writing the order's folder…";
  }

  // the studio's details and what stands in the way of invoicing ---------------------------
  let studioFilled = false; // the form is filled once: a refresh must not undo typing
  function drawStudio(studio) {
    if (!studio) return;
    const error = $("pricelist-error");
    error.hidden = !studio.pricelistError;
    error.textContent = studio.pricelistError
      ? `The price list has an error; the last good list stays in use until it is fixed. ${studio.pricelistError}`
      : "";
    $("no-mail-server").hidden = studio.mailServer;
    const box = $("studio");
    const missing = studio.missing || [];
    box.classList.toggle("is-missing", missing.length > 0);
    $("studio-state").textContent = missing.length
      ? `Needed before invoicing: ${missing.map((m) => studio.labels[m]).join(", ")}`
      : studio.details.name;
    const form = $("studio-form");
    for (const label of form.querySelectorAll("label")) {
      const field = label.querySelector("input, textarea");
      label.classList.toggle("missing", missing.includes(field.name));
    }
    if (!studioFilled) {
      for (const [key, value] of Object.entries(studio.details)) {
        if (form.elements[key]) form.elements[key].value = value;
      }
      studioFilled = true;
      if (missing.length) box.open = true;
    }
  }

  $("studio-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = {};
    for (const field of form.querySelectorAll("input, textarea")) body[field.name] = field.value;
    const save = form.querySelector(".save");
    save.disabled = true;
    const answer = await call("/api/studio", body);
    save.disabled = false;
    if (!answer) return;
    drawStudio(answer);
    toast("The studio's details are saved.");
  });

  async function act(order, path, body, done) {
    busy.add(order.number);
    cards.get(order.number)?.setAttribute("aria-busy", "true");
    const answer = await call(`/api/orders/${order.number}/${path}`, body);
    busy.delete(order.number);
    cards.get(order.number)?.removeAttribute("aria-busy");
    if (!answer) { drawOrder(order); return; } // back to how it was
    if (done) done(answer);
    drawOrder(answer.order);
  }


  // drawing --------------------------------------------------------------------------------
  function draw(orders) {
    const list = $("orders");
    list.removeAttribute("aria-busy");
    $("empty").hidden = orders.length > 0;
    const waiting = orders.filter((o) => o.mail.some((m) => m.status !== "sent")).length;
    const n = orders.length;
    $("summary").textContent = `${n} order${n === 1 ? "" : "s"}` +
      (waiting ? ` · ${waiting} with e-mail not yet sent` : "");
    const seen = new Set();
    let previous = $("empty");
    for (const order of orders) {
      seen.add(order.number);
      if (!busy.has(order.number)) drawOrder(order);
      const card = cards.get(order.number);
      if (previous.nextElementSibling !== card) previous.after(card);
      previous = card;
    }
    for (const [number, card] of cards) {
      if (!seen.has(number)) { card.remove(); cards.delete(number); }
    }
  }

  function drawOrder(order) {
    let card = cards.get(order.number);
    if (!card) {
      card = $("order-card").content.firstElementChild.cloneNode(true);
      card.dataset.number = order.number;
      cards.set(order.number, card);
    }
    card.dataset.status = order.status;
    card.order = order; // lines.js draws the order's products from it
    card.dispatchEvent(new CustomEvent("order-drawn"));
    card.querySelector(".ref").textContent = `#${order.reference}`;
    card.querySelector(".order-client").textContent = order.client;
    card.querySelector(".order-email").textContent = order.email;
    card.querySelector(".order-date").textContent = order.date;
    card.querySelector(".order-total").textContent = order.totalText;

    // One step per status: tapping a later one moves the order on, an earlier one back.
    const steps = card.querySelector(".steps");
    const at = statuses.findIndex((s) => s.id === order.status);
    steps.replaceChildren(...statuses.map((status, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.status = status.id;
      button.textContent = status.label;
      button.setAttribute("aria-pressed", String(i === at));
      // Ticked only when the order really went through it: a failed e-mail leaves
      // "E-mailed" unticked on a paid order.
      const when = order.history.filter((h) => h.status === status.id).pop();
      if (i < at && when) button.classList.add("done");
      if (when) button.title = `${status.label}: ${new Date(when.time).toLocaleString()}`;
      button.addEventListener("click", () => {
        if (status.id === order.status) return;
        // Paid and Deposit are what the payments say: payments.js opens the card's payment
        // form with what is left to pay instead, and the order moves on once it is recorded.
        const asked = new CustomEvent("pay-for", { detail: status.id, cancelable: true });
        if (!card.dispatchEvent(asked)) return;
        act(order, "status", { status: status.id });
      });
      return button;
    }));

    const exportButton = card.querySelector(".export");
    exportButton.onclick = () => {
      exportButton.disabled = true;
      act(order, "export", {}, (answer) => {
        if (!exporting.has(order.number)) follow(answer.export);
      })
        .finally(() => drawExport(order.number));
    };
    drawExport(order.number);

    const mail = card.querySelector(".mail");
    mail.replaceChildren(...(order.mail.length ? order.mail : [null]).map((m) => {
      const row = document.createElement("li");
      if (!m) {
        row.className = "none";
        row.textContent = "No e-mail queued for this order.";
        return row;
      }
      row.className = `is-${m.status}${m.unsent ? " is-unsent" : ""}`;
      const label = document.createElement("span");
      label.className = "mail-who";
      label.textContent = m.label;
      label.title = m.to;
      const text = document.createElement("span");
      text.className = "mail-text";
      text.textContent = m.text;
      row.append(label, text);
      if (m.canSendAgain) {
        const again = document.createElement("button");
        again.type = "button";
        again.className = "btn again";
        again.textContent = "Send again";
        again.addEventListener("click", () => {
          again.disabled = true;
          act(order, "send-again", {});
        });
        row.append(again);
      }
      return row;
    }));

    drawLink(card.querySelector(".link-phone"), order.phoneLink,
      () => act(order, "withdraw-phone-link", {}));
    drawLink(card.querySelector(".link-wall"), order.wallLinks,
      () => act(order, "withdraw-wall-links", {}));

    const exported = card.querySelector(".exported");
    const fresh = justExported.get(order.number);
    const folder = fresh ? fresh.folder : order.exported;
    exported.hidden = !folder;
    if (folder) {
      exported.textContent = fresh
        ? `Exported to ${folder} (${fresh.files.join(", ")})`
        : `Exported earlier to ${folder}`;
    }
    // Originals that could not be read (a drive unplugged): each file, and what to do.
    const problems = card.querySelector(".export-problems");
    const missing = fresh && fresh.problems ? fresh.problems : [];
    problems.hidden = missing.length === 0;
    problems.replaceChildren(...missing.map((text) => {
      const row = document.createElement("li");
      row.textContent = text;
      return row;
    }));
  }

  // A link open, until when, and its Withdraw button: two taps, so a brush of the tablet does
  // not close the link the client was just sent.
  function drawLink(row, link, withdraw) {
    row.classList.toggle("is-closed", !link.open);
    row.querySelector(".link-text").textContent = link.text;
    const button = row.querySelector(".withdraw");
    button.hidden = !link.open;
    button.classList.remove("arming");
    button.textContent = "Withdraw";
    button.onclick = () => {
      if (!button.classList.contains("arming")) {
        button.classList.add("arming");
        button.textContent = "Tap again to withdraw";
        setTimeout(() => {
          button.classList.remove("arming");
          button.textContent = "Withdraw";
        }, 4000);
        return;
      }
      button.disabled = true;
      withdraw().finally(() => { button.disabled = false; });
    };
  }

  $("refresh").addEventListener("click", load);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
  setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
  load();
})();
