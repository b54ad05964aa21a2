// An order's payments on the Orders page: each order card (drawn by orders.js) gets a section
// with the balance, the plan's schedule (paid, due, overdue), the ledger and a form to record a
// payment or a refund. It is drawn from /api/payments/{n} when the card appears and again
// when orders.js redraws it with another status; after a payment the page refreshes, so the
// card's status follows the money. Refusals (overpaying, a refund without its reason) are the
// kiosk's words, in the toast.
"use strict";
(() => {
  const sections = new WeakMap(); // card -> its section
  const views = new WeakMap(); // card -> its last /api/payments view
  const openers = new WeakMap(); // card -> opens its form with an amount filled in
  const call = RevealApi.call;
  const toast = RevealApi.toast;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function load(card) {
    const answer = await call(`/api/payments/${card.dataset.number}`);
    if (answer) draw(card, answer);
  }

  function attach(card) {
    const section = RevealApi.orderSection(card, "payments-section", sections);
    if (!section) return;
    wire(card, section);
    load(card);
    // orders.js asks before it marks an order Paid or at its Deposit by hand: the form opens
    // with what is left to pay, and the step follows once the payment is recorded.
    card.addEventListener("pay-for", (event) => {
      const amount = leftFor(views.get(card), event.detail);
      if (!amount) return; // nothing to pay: the kiosk answers the step itself
      event.preventDefault();
      openers.get(card)(amount);
    });
    // orders.js sets data-status on each redraw: a status set by hand redraws the money too.
    new MutationObserver(() => load(card)).observe(card, { attributes: true, attributeFilter: ["data-status"] });
  }

  function leftFor(view, status) {
    if (!view || view.paidInFull) return "";
    if (status === "paid") return view.balanceText;
    const deposit = view.schedule.length > 1 ? view.schedule[0] : null; // a plan's first step
    return deposit && deposit.state !== "paid" ? deposit.leftText : "";
  }

  function draw(card, view) {
    views.set(card, view);
    const section = sections.get(card);
    section.classList.toggle("is-paid", view.paidInFull);
    const summary = section.querySelector(".pay-summary");
    summary.replaceChildren();
    if (view.paidInFull) {
      summary.append(el("b", "", `Paid in full`), ` · ${view.paidText}`);
    } else {
      summary.append(`Paid ${view.paidText} of ${view.totalText} · `, el("b", "", `${view.balanceText} left`));
    }
    const schedule = section.querySelector(".pay-schedule");
    schedule.replaceChildren();
    schedule.hidden = view.schedule.length < 2;
    schedule.setAttribute("aria-label", view.plan || "Schedule");
    for (const step of view.schedule) {
      const li = el("li", `is-${step.state}`);
      li.append(el("span", "pay-step", `${step.label} · ${step.amountText}`));
      li.append(el("span", "pay-due", `due ${step.dueText}`));
      const state = { paid: "Paid", due: "Due", overdue: `Overdue · ${step.leftText} left` }[step.state];
      li.append(el("span", "pay-state", step.state === "due" && step.leftText !== step.amountText ? `Due · ${step.leftText} left` : state));
      schedule.append(li);
    }
    const ledger = section.querySelector(".pay-ledger");
    ledger.replaceChildren();
    for (const p of view.ledger) {
      const li = el("li", p.refund ? "is-refund" : "");
      li.append(el("span", "pay-day", p.day), el("span", "pay-method", p.refund ? `${p.method} refund` : p.method));
      li.append(el("span", "pay-note-text", p.note), el("span", "pay-money", p.amountText));
      ledger.append(li);
    }
    const methods = section.querySelector(".pay-methods");
    if (!methods.children.length) {
      for (const m of view.methods) {
        const b = el("button", "", m.label);
        b.type = "button";
        b.dataset.method = m.id;
        b.setAttribute("aria-pressed", m.id === "card" ? "true" : "false");
        methods.append(b);
      }
    }
    const open = section.querySelector(".pay-open");
    open.disabled = view.paidInFull && view.paid <= 0;
    section.dataset.balance = view.balanceText;
  }

  function wire(card, section) {
    const form = section.querySelector(".pay-form");
    const open = section.querySelector(".pay-open");
    const show = (visible) => {
      form.hidden = !visible;
      open.setAttribute("aria-expanded", String(visible));
      if (visible) {
        setKind("payment");
        form.elements.amount.value = "";
        form.elements.note.value = "";
        form.elements.amount.focus();
      }
    };
    const setKind = (kind) => {
      form.classList.toggle("is-refund", kind === "refund");
      for (const b of section.querySelectorAll(".pay-kind button")) b.setAttribute("aria-pressed", String(b.dataset.kind === kind));
      section.querySelector(".pay-note-label").textContent = kind === "refund" ? "Reason (needed)" : "Note";
      section.querySelector(".pay-save").textContent = kind === "refund" ? "Record refund" : "Record payment";
      form.elements.amount.placeholder = kind === "refund" ? "" : section.dataset.balance || "";
    };
    open.addEventListener("click", () => show(form.hidden));
    openers.set(card, (amount) => {
      show(true);
      form.elements.amount.value = amount;
      form.scrollIntoView({ block: "nearest" });
    });
    section.querySelector(".pay-cancel").addEventListener("click", () => show(false));
    section.querySelector(".pay-kind").addEventListener("click", (event) => {
      const b = event.target.closest("button");
      if (b) setKind(b.dataset.kind);
    });
    section.querySelector(".pay-methods").addEventListener("click", (event) => {
      const b = event.target.closest("button");
      if (!b) return;
      for (const other of b.parentElement.children) other.setAttribute("aria-pressed", String(other === b));
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const refund = form.classList.contains("is-refund");
      const method = section.querySelector('.pay-methods button[aria-pressed="true"]')?.dataset.method || "card";
      const text = form.elements.note.value;
      const body = { amount: form.elements.amount.value, method, refund };
      body[refund ? "reason" : "note"] = text;
      const save = section.querySelector(".pay-save");
      save.disabled = true;
      const answer = await call(`/api/payments/${card.dataset.number}`, body);
      save.disabled = false;
      if (!answer) return;
      show(false);
      draw(card, answer);
      toast(answer.problem ? `${answer.said} ${answer.problem}` : answer.said);
      document.getElementById("refresh").click(); // the card's status follows the money
    });
  }

  const list = document.getElementById("orders");
  const observer = new MutationObserver(() => {
    for (const card of list.querySelectorAll("article.order")) attach(card);
  });
  observer.observe(list, { childList: true });
  for (const card of list.querySelectorAll("article.order")) attach(card);
})();
