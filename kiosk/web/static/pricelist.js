// The price-list editor: the file as a draft (its values as JSON, each table of a list marked
// with "_at", its place in the file), edited in place by forms; every change is checked by the
// kiosk's own reader, whose message is shown beside the field it names, and a test cart is
// priced by the unsaved draft (pricelist-cart.js). Saving sends the whole draft; the kiosk writes
// only what changed.
"use strict";
(() => {
  const { call, toast } = window.RevealApi;
  const $ = (id) => document.getElementById(id);
  const KINDS_DEFAULT = ["print", "canvas", "metal", "acrylic", "framed", "album", "digital", "retouch"];
  let draft = null, savedJson = "", base = "", kinds = KINDS_DEFAULT, extras = ["collection", "shipping"];
  let decimals = 2, problem = null, checkTimer = null, checking = 0;
  const open = new Set(); // the cards left open, by path, across redraws
  const byPath = new Map(); // path (JSON) -> the input or card that shows it

  // the draft -------------------------------------------------------------------------------
  const key = (path) => JSON.stringify(path);
  const get = (path) => path.reduce((at, k) => (at == null ? undefined : at[k]), draft);
  function put(path, value) {
    let at = draft;
    for (const k of path.slice(0, -1)) {
      if (at[k] == null) at[k] = {};
      at = at[k];
    }
    const last = path[path.length - 1];
    if (value === undefined) delete at[last]; else at[last] = value;
  }
  const dropEmpty = (path) => { // a table left with nothing in it goes: `covers = {}` is no bundle
    const table = get(path);
    if (table && typeof table === "object" && !Object.keys(table).length) put(path, undefined);
  };
  const moneyText = (value) =>
    typeof value === "number" ? (decimals ? (value / 10 ** decimals).toFixed(decimals) : String(value)) : value ?? "";

  // What a field's text becomes in the draft, by kind; undefined removes an optional key.
  const READ = {
    text: (text, optional) => (text === "" && optional ? undefined : text),
    money: (text, optional) => (text.trim() === "" && optional ? undefined : text.trim()),
    percent: (text, optional) => (text.trim() === "" && optional ? undefined : text.trim()),
    int: (text, optional) => (text.trim() === "" && optional ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text) : text),
    count: (text) => (text.trim() === "" ? undefined : /^\d+$/.test(text.trim()) ? Number(text) : text.trim()),
    words: (text) => {
      const words = text.split(/[,\s]+/).filter(Boolean);
      return words.length ? words : undefined;
    },
    date: (text) => text || undefined,
    select: (text, optional) => (text === "" && optional ? undefined : text),
  };

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child != null) node.append(child);
    return node;
  }

  // One field: its label, its input and the place for the reader's message about it.
  // `kind` "flag" is a select of true / false / not said; `write(text)` replaces the usual put.
  function field(label, path, kind = "text", { optional = false, choices = null, also = [], wide = false, span = false, placeholder = "", hint = "", write = null } = {}) {
    const value = get(path);
    let input;
    if (kind === "bool") {
      input = el("input", { type: "checkbox" });
      input.checked = value === true;
      input.addEventListener("change", () => { put(path, input.checked); changed(); });
    } else if (kind === "select" || kind === "flag") {
      input = el("select", {}, choices.map(([v, text]) => el("option", { value: v }, text)));
      input.value = value === undefined || value === null ? "" : String(value);
      input.addEventListener("change", () => {
        put(path, kind === "flag" ? (input.value === "" ? undefined : input.value === "true") : READ.select(input.value, optional));
        changed();
      });
    } else {
      const shown = kind === "money" ? moneyText(value) : kind === "words" ? (Array.isArray(value) ? value.join(", ") : value ?? "") : value ?? "";
      const type = kind === "date" ? "date" : "text";
      const mode = { money: "decimal", percent: "decimal", int: "numeric" }[kind];
      input = el("input", { type, inputmode: mode, placeholder, autocomplete: "off", spellcheck: "false" });
      input.value = String(shown);
      input.addEventListener("input", () => {
        if (write) write(input.value); else put(path, READ[kind](input.value, optional));
        changed();
      });
    }
    input.dataset.path = key(path);
    const error = el("span", { class: "field-error" });
    const box = el("label", { class: `f f-${kind}${wide ? " wide" : ""}${span ? " span" : ""}` },
      el("span", { class: "f-label" }, label, hint ? el("small", { class: "dim" }, ` ${hint}`) : null),
      kind === "money" ? el("span", { class: "money-box" }, input) : input, error);
    for (const p of [path, ...also]) byPath.set(key(p), box);
    return box;
  }

  function button(text, onclick, cls = "btn small") {
    return el("button", { type: "button", class: cls, onclick }, text);
  }

  function listActions(path, make, what) {
    return button(`+ Add ${what}`, () => {
      const list = get(path);
      if (Array.isArray(list)) list.push(make(list)); else put(path, [make([])]);
      changed(true);
    }, "btn add");
  }

  // A row's button says "Remove"; a card's or an option's says what it removes.
  function removeButton(path, what, whole = false) {
    return button(whole ? `Remove this ${what}` : "Remove", () => {
      const list = get(path.slice(0, -1));
      list.splice(path[path.length - 1], 1);
      changed(true);
    }, `btn small remove`);
  }

  function card(path, summary, body, { what }) {
    const node = el("details", { class: "card" }, el("summary", {}, summary), el("div", { class: "card-body" }, body,
      el("p", { class: "field-error card-error" }), el("div", { class: "card-foot" }, removeButton(path, what, true))));
    node.open = open.has(key(path));
    node.addEventListener("toggle", () => (node.open ? open.add(key(path)) : open.delete(key(path))));
    byPath.set(key(path), node);
    return node;
  }

  const unique = (list, stem) => {
    const ids = new Set((list || []).map((x) => x.id));
    for (let n = (list || []).length + 1; ; n++) if (!ids.has(`${stem}-${n}`)) return `${stem}-${n}`;
  };
  const plural = (n, one) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const SIZES = ["5x7", "8x10", "11x14", "16x20", "20x24", "24x30", "30x40", "40x60"];
  const ALBUM_SIZES = ["8x8", "10x10", "12x12", "6x6", "11x8", "14x11"];
  const freeSize = (taken, album) => (album ? ALBUM_SIZES : SIZES).find((s) => !taken.includes(s)) || "";
  const variantIds = (product) => (product.variants || []).map((v) => v.id || v.size).filter(Boolean);
  const taxChoice = [["", "As the tax says"], ["true", "Taxed"], ["false", "Not taxed"]];
  const taxField = (path) => field("Tax", path, "flag", { choices: taxChoice });

  // the sections ----------------------------------------------------------------------------
  function drawStudio() {
    const taxable = get(["tax", "taxable"]);
    const all = taxable === undefined || taxable === "all";
    const boxes = el("div", { class: "checks" }, [["all", "Everything"], ...[...kinds, ...extras].map((k) => [k, k])].map(([k, text]) => {
      const box = el("input", { type: "checkbox", value: k });
      box.checked = k === "all" ? all : !all && Array.isArray(taxable) && taxable.includes(k);
      box.addEventListener("change", () => {
        const checks = [...boxes.querySelectorAll("input")];
        if (k === "all") put(["tax", "taxable"], box.checked ? "all" : []);
        else { checks[0].checked = false; put(["tax", "taxable"], checks.slice(1).filter((c) => c.checked).map((c) => c.value)); }
        changed(true);
      });
      return el("label", { class: "check" }, box, text);
    }));
    byPath.set(key(["tax", "taxable"]), boxes);
    $("sec-studio").replaceChildren(
      el("h2", {}, "Studio, money and tax"),
      el("div", { class: "grid" },
        field("Price list's name", ["studio", "name"]),
        field("Sizes in", ["studio", "units"], "select", { choices: [["in", "inches"], ["cm", "centimetres"]], optional: true }),
        field("Currency code", ["currency", "code"], "text", { placeholder: "USD" }),
        field("Symbol", ["currency", "symbol"], "text", { optional: true }),
        field("Symbol goes", ["currency", "position"], "select", { optional: true, choices: [["before", "before the amount"], ["after", "after the amount"]] }),
        field("Decimals", ["currency", "decimals"], "int", { optional: true }),
        field("Thousands mark", ["currency", "thousands"], "text", { optional: true }),
        field("Decimal mark", ["currency", "decimal_mark"], "text", { optional: true }),
        field("Space after the symbol", ["currency", "space"], "bool"),
      ),
      el("h3", {}, "Tax"),
      el("div", { class: "grid" },
        field("Name on the invoice", ["tax", "name"], "text", { optional: true, placeholder: "Tax" }),
        field("Rate, percent", ["tax", "rate"], "percent", { optional: true, placeholder: "8.25" }),
        field("Prices include it (VAT)", ["tax", "inclusive"], "bool"),
        el("div", { class: "f wide" }, el("span", { class: "f-label" }, "Taxed"), boxes, el("span", { class: "field-error" })),
      ),
      el("h3", {}, "Order"),
      el("div", { class: "grid" },
        field("Minimum order", ["order", "minimum"], "money", { optional: true }),
        field("Session fee credited", ["order", "session_fee_credit"], "money", { optional: true }),
        field("Fee credit needs a collection", ["order", "session_fee_credit_needs_collection"], "bool"),
        field("Advisor suggests up to … more", ["advisor", "upgrade_within"], "money", { optional: true }),
      ),
    );
  }

  function drawProducts() {
    const products = get(["product"]) || [];
    const kindChoices = kinds.map((k) => [k, k]);
    $("sec-products").replaceChildren(
      el("h2", {}, "Products ", el("span", { class: "dim small" }, `${products.length}`)),
      ...products.map((product, n) => {
        const at = ["product", n];
        const sizes = variantIds(product);
        const album = product.kind === "album";
        const summary = [el("strong", {}, product.name || product.id || "New product"), el("span", { class: "dim" }, ` ${product.kind || ""} · ${plural((product.variants || []).length, "size")}`)];
        const variants = (product.variants || []).map((v, i) => {
          const vp = [...at, "variants", i];
          const row = el("div", { class: `row${album ? " album" : ""}` },
            field("Id", [...vp, "id"], "text", { optional: true, placeholder: v.size || "" }),
            field("Size", [...vp, "size"], "text", { optional: true, placeholder: "16x20" }),
            field("Name", [...vp, "name"], "text", { optional: true, placeholder: v.size ? v.size.replace(/x/i, "×") : "" }),
            field("Price", [...vp, "price"], "money"),
            album ? field("Spreads", [...vp, "spreads"], "int") : null,
            album ? field("Extra spread", [...vp, "extra_spread"], "money", { optional: true }) : null,
            album ? field("Most spreads", [...vp, "max_spreads"], "int", { optional: true, placeholder: "no limit" }) : null,
            removeButton(vp, "size"));
          byPath.set(key(vp), row);
          return row;
        });
        const options = (product.options || []).map((o, j) => {
          const op = [...at, "options", j];
          const choices = (o.choices || []).map((c, k) => {
            const cp = [...op, "choices", k];
            const perSize = c.prices !== undefined && c.prices !== null;
            const row = el("div", { class: "row choice" },
              field("Id", [...cp, "id"]),
              field("Name", [...cp, "name"]),
              perSize ? el("div", { class: "per-size" }, sizes.map((s) => field(s, [...cp, "prices", s], "money", { optional: true })))
                : field("Extra", [...cp, "price"], "money", { optional: true, placeholder: "0.00" }),
              el("label", { class: "check small" }, (() => {
                const box = el("input", { type: "checkbox" });
                box.checked = perSize;
                box.addEventListener("change", () => {
                  if (box.checked) { put([...cp, "price"], undefined); put([...cp, "prices"], {}); }
                  else { put([...cp, "prices"], undefined); }
                  changed(true);
                });
                return box;
              })(), "per size"),
              removeButton(cp, "choice"));
            byPath.set(key(cp), row);
            return row;
          });
          const box = el("div", { class: "option" },
            el("div", { class: "row" },
              field("Option id", [...op, "id"]), field("Option name", [...op, "name"]),
              field("Default", [...op, "default"], "select", { optional: true, choices: [["", "the first choice"], ...(o.choices || []).map((c) => [c.id, c.name || c.id])] }),
              removeButton(op, "option", true)),
            el("div", { class: "rows" }, choices),
            el("p", { class: "field-error card-error" }),
            listActions([...op, "choices"], (list) => ({ id: unique(list, "choice"), name: "New choice" }), "a choice"));
          byPath.set(key(op), box);
          return box;
        });
        return card(at, summary, [
          el("div", { class: "grid" },
            field("Id", [...at, "id"]), field("Name", [...at, "name"]),
            field("Kind", [...at, "kind"], "select", { choices: kindChoices }),
            field("Priced", [...at, "per"], "select", { optional: true, choices: [["", "per item"], ["image", "per image"]] }),
            taxField([...at, "taxable"]),
            field("Sizes in", [...at, "units"], "select", { optional: true, choices: [["", "as the studio's"], ["in", "inches"], ["cm", "centimetres"]] }),
            // A bundle ("All digital files") includes every per-image line it matches.
            oneOrMany("Bundle of kinds", [...at, "covers"], "kind", "kinds", { placeholder: "not a bundle", after: () => dropEmpty([...at, "covers"]) }),
            oneOrMany("Bundle of products", [...at, "covers"], "product", "products", { placeholder: "any of those kinds", after: () => dropEmpty([...at, "covers"]) }),
            field("Description", [...at, "description"], "text", { optional: true, span: true })),
          el("h3", {}, "Sizes and prices"),
          el("div", { class: "rows" }, variants),
          listActions([...at, "variants"], () => ({ size: freeSize(sizes, album), ...(album ? { spreads: 10 } : {}), price: "0.00" }), "a size"),
          el("h3", {}, "Options"),
          ...options,
          listActions([...at, "options"], (list) => ({ id: unique(list, "option"), name: "New option", choices: [{ id: "standard", name: "Standard" }] }), "an option"),
        ], { what: "product" });
      }),
      listActions(["product"], (list) => ({ id: unique(list, "product"), kind: "print", name: "New product", variants: [{ size: "8x10", price: "0.00" }] }), "a product"),
    );
  }

  // A filter the list writes `kind = "canvas"` for one value and `kinds = [...]` for several:
  // one field for both, written back the way it was (one value stays singular).
  function oneOrMany(label, at, one, many, { sizes = false, after = null, placeholder = "" } = {}) {
    const had = get([...at, many]) !== undefined ? many : one;
    const write = (text) => {
      const words = sizes ? text.split(",").map((w) => w.trim()).filter(Boolean) : READ.words(text) || [];
      put([...at, one], undefined); put([...at, many], undefined);
      if (words.length === 1 && had === one) put([...at, one], words[0]);
      else if (words.length) put([...at, many], words);
      if (after) after();
    };
    return field(label, [...at, had], "words", { also: [[...at, had === one ? many : one]], placeholder, write });
  }

  function creditRow(cp) {
    const row = el("div", { class: "row credit" },
      oneOrMany("Kinds", cp, "kind", "kinds", { placeholder: "e.g. canvas" }),
      oneOrMany("Products", cp, "product", "products", { placeholder: "any" }),
      oneOrMany("Sizes", cp, "size", "sizes", { sizes: true, placeholder: "any: 8x10, 5x7" }),
      field("Largest size", [...cp, "max_size"], "text", { optional: true, placeholder: "no limit" }),
      oneOrMany("Variants", cp, "variant", "variants", { placeholder: "any" }),
      field("Count", [...cp, "count"], "count", { placeholder: "1" }),
      field("Label", [...cp, "label"], "text", { optional: true, placeholder: "one: digital file" }),
      field("Plural", [...cp, "plural"], "text", { optional: true, placeholder: "many: digital files" }),
      removeButton(cp, "credit"));
    byPath.set(key(cp), row);
    return row;
  }

  function drawCollections() {
    const collections = get(["collection"]) || [];
    $("sec-collections").replaceChildren(
      el("h2", {}, "Collections ", el("span", { class: "dim small" }, `${collections.length}`)),
      ...collections.map((c, n) => {
        const at = ["collection", n];
        return card(at, [el("strong", {}, c.name || c.id), el("span", { class: "dim" }, ` ${moneyText(c.price)} · ${plural((c.credits || []).length, "credit")}`)], [
          el("div", { class: "grid" },
            field("Id", [...at, "id"]), field("Name", [...at, "name"]),
            field("Price", [...at, "price"], "money"), field("Images chosen for it", [...at, "images"], "int", { optional: true }),
            taxField([...at, "taxable"]),
            field("Description", [...at, "description"], "text", { optional: true, span: true })),
          el("h3", {}, "What it includes"),
          el("div", { class: "rows" }, (c.credits || []).map((_, i) => creditRow([...at, "credits", i]))),
          listActions([...at, "credits"], () => ({ kind: "print", size: "8x10", count: 1 }), "a credit"),
        ], { what: "collection" });
      }),
      listActions(["collection"], (list) => ({ id: unique(list, "collection"), name: "New collection", price: "0.00", credits: [{ kind: "print", size: "8x10", count: 1 }] }), "a collection"),
    );
  }

  function drawDiscounts() {
    const discounts = get(["discount"]) || [];
    $("sec-discounts").replaceChildren(
      el("h2", {}, "Discounts and promo codes ", el("span", { class: "dim small" }, `${discounts.length}`)),
      ...discounts.map((d, n) => {
        const at = ["discount", n];
        const form = d.buy !== undefined ? "buy" : d.amount !== undefined ? "amount" : "percent";
        const type = el("select", {}, [["percent", "Percent off"], ["amount", "Amount off"], ["buy", "Buy N, get M free"]].map(([v, t]) => el("option", { value: v }, t)));
        type.value = form;
        type.addEventListener("change", () => {
          for (const k of ["percent", "amount", "buy", "get"]) put([...at, k], undefined);
          if (type.value === "buy") { put([...at, "buy"], 2); put([...at, "get"], 1); } else put([...at, type.value], type.value === "percent" ? "10" : "10.00");
          changed(true);
        });
        const values = form === "buy"
          ? [field("Buy", [...at, "buy"], "int"), field("Get free", [...at, "get"], "int", { optional: true })]
          : form === "amount" ? [field("Amount off", [...at, "amount"], "money")] : [field("Percent off", [...at, "percent"], "percent")];
        return card(at, [el("strong", {}, d.name || d.id), el("span", { class: "dim" }, d.code ? ` code ${d.code}` : " automatic")], [
          el("div", { class: "grid" },
            field("Id", [...at, "id"]), field("Name", [...at, "name"]),
            el("label", { class: "f" }, el("span", { class: "f-label" }, "Kind"), type), ...values,
            field("Promo code", [...at, "code"], "text", { optional: true, placeholder: "none: automatic" }),
            field("Starts", [...at, "starts"], "date"), field("Expires", [...at, "expires"], "date"),
            field("Only these kinds", [...at, "kinds"], "words", { placeholder: "print, framed" }),
            field("Only these products", [...at, "products"], "words"),
            field("Also off the collection", [...at, "collection"], "flag", { choices: [["", "as the list says"], ["true", "yes"], ["false", "no"]] })),
        ], { what: "discount" });
      }),
      listActions(["discount"], (list) => ({ id: unique(list, "discount"), name: "New discount", code: "", percent: "10" }), "a discount"),
    );
  }

  function drawShipping() {
    const methods = get(["shipping"]) || [];
    $("sec-shipping").replaceChildren(
      el("h2", {}, "Shipping"),
      el("div", { class: "rows" }, methods.map((_, n) => {
        const at = ["shipping", n];
        const row = el("div", { class: "row shipping" }, field("Id", [...at, "id"]), field("Name", [...at, "name"]),
          field("Price", [...at, "price"], "money"), taxField([...at, "taxable"]),
          field("Default", [...at, "default"], "bool"), removeButton(at, "method"));
        byPath.set(key(at), row);
        return row;
      })),
      listActions(["shipping"], (list) => ({ id: unique(list, "shipping"), name: "New method", price: "0.00" }), "a method"),
    );
  }

  function drawPlans() {
    const plans = get(["payment_plan"]) || [];
    $("sec-plans").replaceChildren(
      el("h2", {}, "Payment plans"),
      el("div", { class: "rows" }, plans.map((p, n) => {
        const at = ["payment_plan", n];
        const fixed = p.deposit !== undefined;
        const row = el("div", { class: "row plan" }, field("Id", [...at, "id"]), field("Name", [...at, "name"]),
          fixed ? field("Deposit", [...at, "deposit"], "money") : field("Deposit, percent", [...at, "deposit_percent"], "percent"),
          field("Instalments", [...at, "instalments"], "int"),
          field("Every", [...at, "interval"], "select", { optional: true, choices: [["", "month"], ["week", "week"], ["fortnight", "fortnight"]] }),
          field("From a total of", [...at, "min_total"], "money", { optional: true }), removeButton(at, "plan"));
        byPath.set(key(at), row);
        return row;
      })),
      listActions(["payment_plan"], (list) => ({ id: unique(list, "plan"), name: "New plan", deposit_percent: "25", instalments: 3 }), "a plan"),
    );
  }

  function drawVersions(versions) {
    $("versions").replaceChildren(...(versions.length ? versions.map((v) => {
      const restore = button("Restore", async () => {
        if (!restore.classList.contains("arming")) { restore.classList.add("arming"); restore.textContent = "Tap again to restore"; return; }
        const answer = await call("/api/pricelist/restore", { version: v.name });
        if (!answer) return;
        for (const section of document.querySelectorAll("#sheets > section, .jump, #trial")) section.hidden = false;
        adopt(answer);
        toast(`The list replaced on ${v.replaced} is in force again.`);
      }, "btn small restore");
      return el("li", {}, el("span", {}, `Replaced ${v.replaced}`), el("span", { class: "dim" }, `${(v.size / 1024).toFixed(1)} KB`), restore);
    }) : [el("li", { class: "dim" }, "None yet: the first save keeps the list it replaces here.")]));
  }

  function drawAll() {
    byPath.clear();
    drawStudio(); drawProducts(); drawCollections(); drawDiscounts(); drawShipping(); drawPlans();
    showProblem();
  }

  // checking, and the test cart (pricelist-cart.js) priced by each check ---------------------
  const trial = window.RevealTrialCart({ el, button, changed: () => check() });
  const dirty = () => JSON.stringify(draft) !== savedJson;
  function changed(redraw = false) {
    if (redraw) drawAll();
    $("save").disabled = true;
    $("revert").disabled = !dirty();
    $("state").textContent = dirty() ? "Checking…" : "";
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  }


  async function check() {
    const ticket = ++checking;
    const answer = await call("/api/pricelist/check", { draft, cart: trial.json() });
    if (!answer || ticket !== checking) return;
    show(answer);
  }

  function show(answer) {
    problem = answer.problem;
    if (answer.catalogue) { decimals = answer.currency.decimals; trial.offer(answer.catalogue); }
    showProblem();
    if (answer.priced) trial.show(answer.priced);
    $("save").disabled = !!problem || !dirty();
    $("state").textContent = problem ? "Not saved: see the message" : dirty() ? "Changed, not saved yet" : "Saved";
  }

  function showProblem() {
    for (const node of document.querySelectorAll(".is-invalid")) node.classList.remove("is-invalid");
    for (const node of document.querySelectorAll("#sheets .field-error")) node.textContent = "";
    $("problem").hidden = !problem;
    if (!problem) return;
    $("problem").textContent = `Not saved yet — ${problem.where || "the list"}: ${problem.message}`;
    for (let n = problem.path.length; n >= 0; n--) {
      const node = byPath.get(key(problem.path.slice(0, n)));
      if (!node) continue;
      node.classList.add("is-invalid");
      const says = node.querySelector(":scope > .field-error") || node.querySelector(".card-error") || node.querySelector(".field-error");
      if (says) says.textContent = problem.message;
      for (let up = node; up; up = up.parentElement?.closest("details")) if (up.tagName === "DETAILS") { up.open = true; open.add([...byPath].find(([, v]) => v === up)?.[0]); }
      break;
    }
  }

  // loading, saving, the PIN ----------------------------------------------------------------
  function adopt(answer) {
    draft = answer.draft;
    savedJson = JSON.stringify(draft);
    base = answer.base;
    drawVersions(answer.versions);
    if (answer.kinds) { kinds = answer.kinds; extras = answer.taxableExtras; }
    if (answer.catalogue) { decimals = answer.currency.decimals; trial.offer(answer.catalogue); }
    drawAll();
    changed();
  }

  async function load() {
    const answer = await call("/api/pricelist", undefined, (message, body, status) => {
      if (status === 403) { $("unlock").hidden = false; $("editor").hidden = true; $("pin").focus(); } else toast(message);
    });
    if (!answer) return;
    $("unlock").hidden = true;
    $("editor").hidden = false;
    $("in-force").hidden = !answer.inForceError;
    $("in-force").textContent = answer.inForceError && `The kiosk prices with the last good list: ${answer.inForceError}`;
    if (answer.broken) { // nothing to edit; a kept version can be restored
      for (const section of document.querySelectorAll("#sheets > section:not(#sec-versions), .jump, #trial")) section.hidden = true;
      $("problem").hidden = false;
      $("problem").textContent = answer.broken;
      drawVersions(answer.versions);
      return;
    }
    adopt(answer);
  }

  $("unlock").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("unlock-error").textContent = "";
    const answer = await call("/api/settings/unlock", { pin: $("pin").value }, (text) => { $("unlock-error").textContent = text; });
    $("pin").value = "";
    if (answer) load();
  });

  $("save").addEventListener("click", async () => {
    $("save").disabled = true;
    const answer = await call("/api/pricelist", { draft, base }, (message, body) => {
      if (body && body.problem) { problem = body.problem; showProblem(); }
      toast(message);
    });
    if (!answer) return;
    adopt(answer);
    toast(answer.changed ? "Saved. The kiosk prices with this list now." : "Nothing had changed; the file is as it was.");
  });

  $("revert").addEventListener("click", () => { draft = JSON.parse(savedJson); drawAll(); changed(); });
  window.addEventListener("beforeunload", (event) => { if (draft && dirty()) event.preventDefault(); });

  load();
})();
