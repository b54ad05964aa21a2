// The price-list editor's test cart: lines, collection, promo code, shipping and payment plan
// picked from the list being edited (the kiosk's `catalogue` of the draft), sent with every check
// and shown as the engine priced it, with the advisor's answer.
"use strict";
window.RevealTrialCart = ({ el, button, changed }) => {
  const $ = (id) => document.getElementById(id);
  const cart = { lines: [], collection: "", code: "", shipping: "", plan: "" };
  let catalogue = null;

  function json() {
    const products = new Map((catalogue?.products || []).map((p) => [p.id, p]));
    return {
      lines: cart.lines.filter((l) => products.has(l.product)).map((l, n) => ({
        id: `t${n + 1}`, product: l.product, variant: l.variant, options: l.options, quantity: l.quantity,
        images: products.get(l.product).per === "image" ? Array.from({ length: l.images }, (_, i) => i + 1) : [n + 1],
      })),
      collection: cart.collection || null,
      promo_codes: cart.code ? [cart.code] : [],
      shipping: cart.shipping || null,
      payment_plan: cart.plan || null,
    };
  }

  function options(select, items, none) {
    const value = select.value;
    select.replaceChildren(...(none ? [el("option", { value: "" }, none)] : []), ...items.map(([v, t]) => el("option", { value: v }, t)));
    if ([...select.options].some((o) => o.value === value)) select.value = value;
  }

  function offer(list) {
    catalogue = list;
    options($("trial-product"), catalogue.products.map((p) => [p.id, p.name]));
    options($("trial-collection"), catalogue.collections.map((c) => [c.id, c.name]), "No collection");
    options($("trial-code"), catalogue.codes.map((c) => [c.code, `${c.code} · ${c.name}`]), "No code");
    options($("trial-shipping"), catalogue.shipping.map((s) => [s.id, s.name]), "The default");
    options($("trial-plan"), catalogue.plans.map((p) => [p.id, p.name]), "Paid in full");
    drawLines();
  }

  function drawLines() {
    const products = new Map(catalogue.products.map((p) => [p.id, p]));
    $("trial-lines").replaceChildren(...cart.lines.map((line, n) => {
      const product = products.get(line.product);
      if (!product) return el("div", { class: "trial-line gone" }, `${line.product}: no longer in the list`, button("×", () => { cart.lines.splice(n, 1); drawLines(); changed(); }, "btn small x"));
      const size = el("select", { "aria-label": "Size" });
      options(size, product.variants.map((v) => [v.id, v.name]));
      size.value = line.variant;
      size.addEventListener("change", () => { line.variant = size.value; changed(); });
      const picks = product.options.map((o) => {
        const pick = el("select", { "aria-label": o.name });
        options(pick, o.choices.map((c) => [c.id, c.name]));
        pick.value = line.options[o.id] || o.default;
        pick.addEventListener("change", () => { line.options[o.id] = pick.value; changed(); });
        return pick;
      });
      const many = product.per === "image";
      const count = el("input", { type: "number", min: "1", inputmode: "numeric", "aria-label": many ? "Images" : "Quantity", class: "qty" });
      count.value = many ? line.images : line.quantity;
      count.addEventListener("input", () => { const v = Math.max(1, Number(count.value) || 1); if (many) line.images = v; else line.quantity = v; changed(); });
      return el("div", { class: "trial-line" }, el("strong", {}, product.name), size, ...picks,
        el("label", { class: "qty-box" }, many ? "images" : "qty", count),
        button("×", () => { cart.lines.splice(n, 1); drawLines(); changed(); }, "btn small x"));
    }));
  }

  function show(priced) {
    $("trial-error").textContent = priced.cartError || "";
    if (priced.cartError) return;
    const b = priced.breakdown;
    $("breakdown").replaceChildren(...b.lines.map((line) =>
      el("tr", { class: `k-${line.kind}` }, el("td", {}, line.label, line.note ? el("small", { class: "dim" }, ` ${line.note}`) : null), el("td", { class: "num" }, line.display))));
    $("trial-total").textContent = b.total.display;
    $("advice").textContent = priced.advice.suggestion || (b.lines.length ? "The advisor has nothing to suggest for this cart." : "Add a line to see the advisor's answer.");
    $("trial-credits").replaceChildren(...b.credits.map((c) => el("li", {}, c.text)),
      ...(b.instalments ? [el("li", {}, `${b.instalments.name}: ${b.instalments.deposit.display} today, then ${b.instalments.instalments.map((x) => x.display).join(", ")}`)] : []),
      ...b.notices.map((text) => el("li", { class: "notice-line" }, text)));
  }

  $("trial-add").addEventListener("click", () => {
    const product = catalogue?.products.find((p) => p.id === $("trial-product").value);
    if (!product) return;
    cart.lines.push({ product: product.id, variant: product.variants[0].id, options: {}, quantity: 1, images: 3 });
    drawLines();
    changed();
  });
  for (const [id, name] of [["trial-collection", "collection"], ["trial-code", "code"], ["trial-shipping", "shipping"], ["trial-plan", "plan"]]) {
    $(id).addEventListener("change", () => { cart[name] = $(id).value; changed(); });
  }

  return { json, offer, show };
};
