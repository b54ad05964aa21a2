// An order's products on the Orders page: each order card (drawn by orders.js, which leaves the
// order's JSON on the card as `card.order` and fires "order-drawn") gets a section listing its
// products with their state and the buttons that move them: Sent to lab, Shipped… (asks for the
// tracking note and which other products went in the same parcel: one e-mail for them all) and
// Delivered; Undo steps one back, asking why. Above the list, "Products to send" shows only the
// orders with products that have not left yet. Refusals are the kiosk's words, in the toast.
"use strict";
(() => {
  const sections = new WeakMap(); // card -> its section
  const call = RevealApi.call;
  const toast = RevealApi.toast;
  const list = document.getElementById("orders");
  const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/gi;
  const ORDER = ["ordered", "lab", "shipped", "delivered"];
  let onlyToSend = false;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A note as text, each web address in it a link that opens in a new tab.
  function linked(note) {
    const out = [];
    let at = 0;
    for (const match of note.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(/[.,;:)]+$/, "");
      out.push(note.slice(at, match.index));
      const a = el("a", "", url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      out.push(a);
      at = match.index + url.length;
    }
    out.push(note.slice(at));
    return out;
  }

  function attach(card) {
    const section = RevealApi.orderSection(card, "lines-section", sections);
    if (!section) return;
    card.addEventListener("order-drawn", () => draw(card));
    draw(card);
  }

  function draw(card) {
    const section = sections.get(card);
    const products = card.order && card.order.products;
    if (!section || !products) return;
    if (products.notShipped > 0) card.dataset.toSend = String(products.notShipped);
    else delete card.dataset.toSend;
    countToSend();
    section.hidden = products.count === 0;
    if (section.querySelector(".product-form:not([hidden])")) return; // not while typing
    section.classList.toggle("is-done", products.count > 0 && products.delivered === products.count);
    section.querySelector(".products-summary").textContent = products.summary;
    const labels = Object.fromEntries(products.states.map((s) => [s.id, s.label]));
    section.querySelector(".product-lines").replaceChildren(
      ...products.lines.map((line) => drawLine(card, products, line, labels)));
  }

  function drawLine(card, products, line, labels) {
    const row = document.getElementById("product-line").content.firstElementChild.cloneNode(true);
    row.classList.add(`is-${line.state}`);
    row.dataset.ref = line.ref;
    row.querySelector(".product-name").textContent =
      line.quantity > 1 ? `${line.quantity} × ${line.label}` : line.label;
    row.querySelector(".product-state-label").textContent = line.stateLabel;
    row.querySelector(".product-when").textContent = line.timeText ? `· ${line.timeText}` : "";
    const note = row.querySelector(".product-note");
    note.hidden = !line.note;
    note.replaceChildren(...linked(line.note || ""));
    const at = ORDER.indexOf(line.state);
    for (const button of row.querySelectorAll(".move")) {
      const to = ORDER.indexOf(button.dataset.state);
      const forward = to > at && line.moves.includes(button.dataset.state);
      button.disabled = !forward;
      button.classList.toggle("is-done", to < at);
      button.classList.toggle("is-current", to === at);
      button.setAttribute("aria-pressed", String(to === at));
      // "Shipped…" asks for the tracking note; once shipped it says what the product is.
      if (button.dataset.state === "shipped") button.textContent = forward ? "Shipped…" : "Shipped";
      button.onclick = () => {
        if (button.dataset.state === "shipped") openForm(card, products, line, row, "shipped", labels);
        else move(card, [line.ref], button.dataset.state, "");
      };
    }
    const back = row.querySelector(".move-back");
    back.hidden = !line.back;
    back.onclick = () => openForm(card, products, line, row, line.back, labels);
    return row;
  }

  // The tracking note (and the other products in the same parcel), or why a step goes back.
  function openForm(card, products, line, row, state, labels) {
    const form = row.querySelector(".product-form");
    const shipping = state === "shipped" && ORDER.indexOf(line.state) < ORDER.indexOf("shipped");
    row.querySelector(".product-form-label").textContent = shipping
      ? "Tracking note (e-mailed to the client; a link stays a link)"
      : `Why it goes back to “${labels[state]}”`;
    form.elements.note.placeholder = shipping ? "Carrier and tracking number, or its link" : "";
    form.elements.note.value = "";
    row.querySelector(".product-save").textContent = shipping ? "Mark shipped" : `Back to “${labels[state]}”`;
    const others = row.querySelector(".product-with");
    const along = shipping
      ? products.lines.filter((l) => l.ref !== line.ref && l.moves.includes("shipped") && ORDER.indexOf(l.state) < 2)
      : [];
    others.hidden = along.length === 0;
    others.replaceChildren(others.querySelector("legend") || el("legend", "", "Shipped in the same parcel"),
      ...along.map((other) => {
        const label = el("label");
        const box = el("input");
        box.type = "checkbox";
        box.value = other.ref;
        box.checked = other.state === line.state; // what waited together usually leaves together
        label.append(box, other.quantity > 1 ? `${other.quantity} × ${other.label}` : other.label);
        return label;
      }));
    form.hidden = false;
    form.elements.note.focus();
    row.querySelector(".product-cancel").onclick = () => { form.hidden = true; draw(card); };
    form.onsubmit = async (event) => {
      event.preventDefault();
      const refs = [line.ref, ...[...others.querySelectorAll("input:checked")].map((b) => b.value)];
      const save = row.querySelector(".product-save");
      save.disabled = true;
      const done = await move(card, refs, state, form.elements.note.value, form);
      save.disabled = false;
      if (done) form.hidden = true;
    };
  }

  async function move(card, refs, state, note, form) {
    card.setAttribute("aria-busy", "true");
    const answer = await call(`/api/orders/${card.dataset.number}/lines`, { lines: refs, state, note });
    card.removeAttribute("aria-busy");
    if (!answer) return false;
    if (form) form.hidden = true;
    card.order = answer.order;
    draw(card);
    toast(answer.problem ? `${answer.said} ${answer.problem}` : answer.said);
    document.getElementById("refresh").click(); // the order's status follows its products
    return true;
  }

  // "Products to send" ------------------------------------------------------------------------
  const filter = document.getElementById("order-filter").content.firstElementChild.cloneNode(true);
  list.before(filter);
  const toSendButton = filter.querySelector('[data-filter="to-send"]');
  filter.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    onlyToSend = button.dataset.filter === "to-send";
    for (const b of filter.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
    list.classList.toggle("only-to-send", onlyToSend);
  });

  function countToSend() {
    const n = list.querySelectorAll("article.order[data-to-send]").length;
    toSendButton.textContent = `Products to send (${n})`;
  }

  const observer = new MutationObserver(() => {
    for (const card of list.querySelectorAll("article.order")) attach(card);
    countToSend();
  });
  observer.observe(list, { childList: true });
  for (const card of list.querySelectorAll("article.order")) attach(card);
})();
