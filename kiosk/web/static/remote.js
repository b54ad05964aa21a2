// The photographer's remote. The server sends the whole state over one websocket after every
// change (from the TV or from here); this page draws it and POSTs commands - the same ones the
// touch screen sends. No framework and no build step: this file is what the browser runs.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const toast = RevealApi.toast; // api.js
  const boot = JSON.parse($("boot").textContent);

  const SCREENS = { welcome: "Welcome", slideshow: "Slideshow", select: "Choose", wallart: "On the wall", actualsize: "Actual size" };
  const DECISIONS = { keep: "Kept", maybe: "Maybe", drop: "Dropped", dropped_in_comparison: "Compared out" };
  const screenName = (name) => SCREENS[name] || name.charAt(0).toUpperCase() + name.slice(1);

  let state = null;
  let newest = -1; // the newest revision drawn: a late POST answer must not undo a newer push
  const tiles = new Map(); // image id -> its tile in the grid
  let notesImage = null; // the image the notes form edits (follows the TV unless edited)
  let notesDirty = false;

  // talking to the kiosk -------------------------------------------------------------------
  let retry = 500;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.onopen = () => {
      retry = 500;
      newest = -1; // the kiosk may have restarted and counts revisions from 0 again
      setLink(true);
    };
    socket.onmessage = (event) => render(JSON.parse(event.data));
    socket.onclose = (event) => {
      setLink(false);
      if (event.code === 4401) { location.replace("/pair"); return; } // unpaired or expired
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  function setLink(live) {
    const link = $("link");
    link.classList.toggle("live", live);
    link.textContent = live ? "Live" : "Reconnecting…";
    link.title = live ? "Connected to the kiosk" : "Not connected: changes wait until it is back";
  }

  // Commands go one after another; each is made when its turn comes, so two quick taps on
  // Keep decide on two images, not twice on the same one.
  let queue = Promise.resolve();
  // `refused(message)` shows a refusal next to the form it came from instead of in the toast.
  function send(makeCommand, refused = toast) {
    queue = queue.then(async () => {
      const command = typeof makeCommand === "function" ? makeCommand() : makeCommand;
      if (!command) return false;
      const body = await RevealApi.call("/api/command", command, refused);
      if (!body) return false;
      if (body.state) render(body.state);
      return true;
    });
    return queue;
  }

  // drawing --------------------------------------------------------------------------------
  const byId = () => new Map(state.images.map((image) => [image.id, image]));

  function render(next) {
    if (next.rev < newest) return;
    newest = next.rev;
    state = next;
    const images = byId();
    const current = images.get(state.current) || null;
    renderBar();
    renderStage(current);
    renderGrid();
    renderNotes(images, current);
    renderOrder();
  }

  function renderBar() {
    // The TV may have switched to another session: its client, never the one before.
    const client = document.querySelector(".bar .client");
    if (client && client.textContent !== state.client) {
      client.textContent = state.client;
      document.title = `${state.client} · Reveal remote`;
    }
    const nav = $("screens");
    if (nav.dataset.names !== state.screens.join()) {
      nav.dataset.names = state.screens.join();
      nav.replaceChildren(...state.screens.map((name) => {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.screen = name;
        button.textContent = screenName(name);
        button.addEventListener("click", () => send({ kind: "screen", name }));
        return button;
      }));
    }
    for (const button of nav.children) {
      button.setAttribute("aria-pressed", String(button.dataset.screen === state.screen));
    }
    const play = $("play");
    play.setAttribute("aria-pressed", String(!state.playing));
    $("play-label").textContent = state.playing ? "Pause" : "Play";
    play.setAttribute("aria-label", state.playing ? "Pause the slideshow" : "Play the slideshow");
    const problem = $("saving-problem");
    problem.hidden = !state.problem;
    problem.textContent = state.problem || "";
    renderMusic(state.music);
    const counts = state.counts;
    $("count-kept").textContent = counts.kept;
    $("count-maybe").textContent = counts.maybe;
    $("count-dropped").textContent = counts.dropped + counts.dropped_in_comparison;
    $("count-undecided").textContent = counts.undecided;
  }

  function renderStage(current) {
    const img = $("current-image");
    $("empty").hidden = state.images.length > 0;
    if (current) {
      const src = `/img/preview/${current.id}`;
      if (img.getAttribute("src") !== src) img.setAttribute("src", src);
      img.alt = `Image ${current.position} of ${state.images.length}`;
      $("position").textContent = `${current.position} / ${state.images.length}`;
      $("file-name").textContent = current.name;
    } else {
      img.removeAttribute("src");
      $("position").textContent = "–";
      $("file-name").textContent = "";
    }
    const decision = current && current.decision;
    const badge = $("decision-badge");
    badge.hidden = !decision;
    badge.className = `badge ${decision || ""}`;
    badge.textContent = DECISIONS[decision] || "";
    const comparing = $("comparing");
    comparing.hidden = !state.comparing;
    if (state.comparing) comparing.textContent = `Comparing: ${state.comparing.remaining} to remove`;
    for (const button of document.querySelectorAll(".decide")) {
      button.disabled = !current;
      button.setAttribute("aria-pressed", String(decision === button.dataset.decision));
    }
    const index = current ? state.images.indexOf(current) : -1;
    $("prev").disabled = index <= 0;
    $("next").disabled = index < 0 || index >= state.images.length - 1;
    $("undo").disabled = !state.can_undo;
  }

  function renderGrid() {
    const grid = $("grid");
    if (grid.dataset.ids !== state.images.map((image) => image.id).join()) {
      grid.dataset.ids = state.images.map((image) => image.id).join();
      tiles.clear();
      grid.replaceChildren(...state.images.map(makeTile));
    }
    for (const image of state.images) {
      const tile = tiles.get(image.id);
      tile.className = `tile is-${image.decision || "none"}${image.id === state.current ? " is-current" : ""}`;
      const flags = [image.favourite ? "♥" : "", image.note ? "✎" : "", image.private_note ? "•" : ""];
      tile.querySelector(".flags").textContent = flags.join(" ").trim();
      const decided = DECISIONS[image.decision] || "not decided yet";
      tile.setAttribute("aria-label", `Image ${image.position}, ${decided}`);
      tile.setAttribute("aria-current", String(image.id === state.current));
    }
    const currentTile = tiles.get(state.current);
    if (currentTile && currentTile.dataset.seen !== "1") {
      for (const tile of tiles.values()) delete tile.dataset.seen;
      currentTile.dataset.seen = "1";
      revealTile(currentTile);
    }
  }

  // Keep the TV's image in sight in the grid's own scroll box; never scroll the page itself
  // (on a phone the page scrolls, and jumping to the grid on every image would be rude).
  function revealTile(tile) {
    const box = tile.closest(".tab-panel");
    if (!box || box.hidden || box.scrollHeight <= box.clientHeight) return;
    const outer = box.getBoundingClientRect();
    const inner = tile.getBoundingClientRect();
    if (inner.top < outer.top) box.scrollTop -= outer.top - inner.top + 12;
    else if (inner.bottom > outer.bottom) box.scrollTop += inner.bottom - outer.bottom + 12;
  }

  function makeTile(image) {
    const tile = document.createElement("button");
    tile.type = "button";
    tile.dataset.id = image.id;
    const img = document.createElement("img");
    img.loading = "lazy";
    img.alt = "";
    img.src = `/img/thumb/${image.id}`;
    const pos = document.createElement("span");
    pos.className = "pos";
    pos.textContent = image.position;
    const mark = document.createElement("span");
    mark.className = "mark";
    const flags = document.createElement("span");
    flags.className = "flags";
    tile.append(img, pos, mark, flags);
    tile.addEventListener("click", () => send({ kind: "show", image: image.id }));
    tiles.set(image.id, tile);
    return tile;
  }

  // notes ----------------------------------------------------------------------------------
  const tagButtons = new Map();
  for (const [name, label] of boot.tags) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tag";
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      markDirty();
    });
    tagButtons.set(name, button);
    $("tags").append(button);
  }

  function renderNotes(images, current) {
    if (!notesDirty || !images.has(notesImage)) {
      notesDirty = false;
      notesImage = current ? current.id : null;
    }
    const image = images.get(notesImage);
    $("notes-dot").hidden = !(current && (current.note || current.private_note));
    $("save-notes").disabled = !image;
    $("notes-cancel").hidden = !notesDirty;
    if (!image) {
      $("notes-title").textContent = "Notes";
      return;
    }
    const elsewhere = current && image.id !== current.id ? " (not the one on the TV)" : "";
    $("notes-title").textContent = `Notes · image ${image.position}${elsewhere}`;
    if (notesDirty) return; // never overwrite what the photographer is typing
    const note = image.note || { text: "", tags: [] };
    $("note-text").value = note.text;
    $("private-text").value = image.private_note;
    for (const [name, button] of tagButtons) {
      button.setAttribute("aria-pressed", String(note.tags.includes(name)));
    }
    updateCounters();
  }

  function markDirty() {
    notesDirty = true;
    $("notes-cancel").hidden = false;
    updateCounters();
  }

  function updateCounters() {
    $("note-count").textContent = `${$("note-text").value.trim().length} / ${boot.noteChars}`;
    $("private-count").textContent = `${$("private-text").value.trim().length} / ${boot.privateChars}`;
  }

  async function saveNotes(event) {
    event.preventDefault();
    const image = state && byId().get(notesImage);
    if (!image) return;
    const text = $("note-text").value.trim();
    const tags = [...tagButtons].filter(([, b]) => b.getAttribute("aria-pressed") === "true").map(([n]) => n);
    const before = image.note || { text: "", tags: [] };
    const ok = [];
    if (text !== before.text || tags.join() !== before.tags.join()) {
      ok.push(await send({ kind: "note", image: image.id, text, tags }));
    }
    const privateText = $("private-text").value.trim();
    if (privateText !== image.private_note) {
      ok.push(await send({ kind: "private_note", image: image.id, text: privateText }));
    }
    if (ok.every(Boolean)) {
      notesDirty = false;
      render(state);
      toastSaved();
    }
  }

  function toastSaved() {
    const button = $("save-notes");
    button.textContent = "Saved";
    setTimeout(() => { button.textContent = "Save notes"; }, 1500);
  }

  // wiring ---------------------------------------------------------------------------------
  function neighbour(step) {
    const index = state.images.findIndex((image) => image.id === state.current);
    const image = state.images[index + step];
    return image ? { kind: "show", image: image.id } : null;
  }

  for (const button of document.querySelectorAll(".decide")) {
    const decision = button.dataset.decision;
    button.addEventListener("click", () =>
      send(() => (state && state.current !== null ? { kind: "decide", image: state.current, decision } : null)),
    );
  }
  $("prev").addEventListener("click", () => send(() => neighbour(-1)));
  $("next").addEventListener("click", () => send(() => neighbour(+1)));
  $("undo").addEventListener("click", () => send({ kind: "undo" }));
  $("play").addEventListener("click", () => send(() => ({ kind: "play", on: !state.playing })));
  $("music-mute").addEventListener("click", () =>
    send(() => ({ kind: "music", muted: !(state.music && state.music.muted) })));
  $("music-volume").addEventListener("change", (event) =>
    send({ kind: "music", volume: Number(event.target.value) / 100, muted: false }));

  // The slideshow's music: shown when the studio set some; a file it cannot play is named.
  function renderMusic(music) {
    const box = $("music");
    box.hidden = !music || !music.tracks;
    box.style.display = box.hidden ? "none" : "flex";
    const band = $("music-problem");
    band.hidden = !(music && music.problem);
    band.textContent = music && music.problem ? music.problem : "";
    if (!music) return;
    const mute = $("music-mute");
    mute.setAttribute("aria-pressed", String(music.muted));
    mute.textContent = music.muted ? "Unmute music" : "Mute music";
    const volume = $("music-volume");
    if (document.activeElement !== volume) volume.value = String(Math.round(music.volume * 100));
  }
  $("notes").addEventListener("submit", saveNotes);
  $("notes-cancel").addEventListener("click", () => { notesDirty = false; render(state); });
  $("note-text").addEventListener("input", markDirty);
  $("private-text").addEventListener("input", markDirty);

  for (const button of $("filters").children) {
    button.addEventListener("click", () => {
      $("grid").dataset.filter = button.dataset.filter;
      for (const other of $("filters").children) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    });
  }
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", () => {
      for (const other of document.querySelectorAll('[role="tab"]')) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        $(other.getAttribute("aria-controls")).hidden = !selected;
      }
    });
  }

  // The arrow keys, for a tablet with a keyboard case.
  document.addEventListener("keydown", (event) => {
    if (!state || event.target.closest("textarea, input")) return;
    if (event.key === "ArrowLeft") send(() => neighbour(-1));
    if (event.key === "ArrowRight") send(() => neighbour(+1));
  });

  // the order and its discounts ------------------------------------------------------------
  // Promo codes may come from the TV too; the studio discount only from here (the server
  // refuses it from the touch screen). A refusal shows under the form that sent it.
  let studioUnit = "percent";

  function renderOrder() {
    const cart = state.cart;
    if (!cart) return;
    const problem = $("order-problem");
    problem.hidden = !cart.problem;
    problem.textContent = cart.problem;
    const lines = cart.lines.filter((line) => !(line.kind === "tax" && line.amount === 0));
    $("order-lines").replaceChildren(
      ...(lines.length ? lines.map(orderLine) : [emptyLine("Nothing in the order yet.")]),
    );
    $("order-total").textContent = cart.total ? cart.total.display : "–";
    const symbol = cart.currency ? cart.currency.symbol : "$";
    $("studio-unit-amount").textContent = `${symbol} off`;

    const applied = cart.promo_codes.map((promo) => appliedItem(
      promo.code, promo.name, `Remove code ${promo.code}`,
      { kind: "remove_promo", code: promo.code },
    ));
    if (cart.studio_discount) {
      const shown = cart.lines.find((line) => line.studio);
      const studio = cart.studio_discount;
      const what = studio.percent !== null ? `${studio.percent}% off` : (shown ? `${shown.display.replace("-", "")} off` : "Amount off");
      applied.push(appliedItem(
        `Studio discount · ${what}`, studio.reason, "Remove the studio discount",
        { kind: "set_studio_discount", percent: null, amount: null, reason: "" },
      ));
    }
    $("discount-applied").replaceChildren(...applied);
    $("order-dot").hidden = applied.length === 0;
    const notices = $("discount-notices");
    notices.hidden = cart.notices.length === 0;
    notices.textContent = cart.notices.join(" ");
    // The advisor's suggestion, and the one command that takes it (undone by one Undo).
    const advice = cart.advice;
    $("order-advice").hidden = !advice;
    $("order-advice-text").textContent = advice ? advice.text : "";
    $("order-switch").hidden = !(advice && advice.switch);
  }

  $("order-switch").addEventListener("click", () => {
    const advice = state && state.cart ? state.cart.advice : null;
    if (advice && advice.switch) send(advice.switch);
  });

  function orderLine(line) {
    const item = document.createElement("li");
    item.className = `is-${line.kind}${line.studio ? " is-studio" : ""}`;
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = line.quantity > 1 ? `${line.quantity} × ${line.label}` : line.label;
    const amount = document.createElement("span");
    amount.className = "amount";
    amount.textContent = line.display;
    item.append(label, amount);
    return item;
  }

  function emptyLine(text) {
    const item = document.createElement("li");
    item.className = "empty";
    item.textContent = text;
    return item;
  }

  function appliedItem(title, detail, removeLabel, removeCommand) {
    const item = document.createElement("li");
    const what = document.createElement("span");
    what.className = "what";
    what.textContent = title;
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      what.append(small);
    }
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn quiet";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", removeLabel);
    remove.addEventListener("click", () => send(removeCommand));
    item.append(what, remove);
    return item;
  }

  function showRefusal(id, text) {
    const box = $(id);
    box.textContent = text;
    box.hidden = !text;
    const input = id === "promo-error" ? $("promo-code") : $("studio-value");
    input.setAttribute("aria-invalid", String(Boolean(text)));
  }

  // "12.50" typed in the amount field -> 1250 minor units; null when it is not an amount.
  function minorUnits(text, decimals) {
    const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
    if (!match || (match[2] || "").length > decimals) return null;
    return Number(match[1]) * 10 ** decimals + Number((match[2] || "").padEnd(decimals, "0") || 0);
  }

  $("promo-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showRefusal("promo-error", "");
    const code = $("promo-code").value.trim();
    if (await send({ kind: "apply_promo", code }, (text) => showRefusal("promo-error", text))) {
      $("promo-code").value = "";
    }
  });

  $("studio-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showRefusal("studio-error", "");
    const text = $("studio-value").value.trim();
    const decimals = state && state.cart && state.cart.currency ? state.cart.currency.decimals : 2;
    const command = { kind: "set_studio_discount", percent: null, amount: null, reason: $("studio-reason").value.trim() };
    if (!text) {
      showRefusal("studio-error", studioUnit === "percent" ? "Type the percent off, for example 10." : "Type the amount off, for example 50.");
      return;
    }
    if (studioUnit === "percent") {
      // Sent as typed when it is not a number, so the kiosk's own sentence explains why not.
      command.percent = text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    } else {
      command.amount = minorUnits(text, decimals);
      if (command.amount === null) {
        showRefusal("studio-error", `Type the amount off as a number, for example 50 or 12.50${decimals ? "" : " (no decimals)"}.`);
        return;
      }
    }
    if (await send(command, (message) => showRefusal("studio-error", message))) {
      $("studio-value").value = "";
      $("studio-reason").value = "";
    }
  });

  for (const button of $("studio-unit").children) {
    button.addEventListener("click", () => {
      studioUnit = button.dataset.unit;
      for (const other of $("studio-unit").children) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      $("studio-value").placeholder = studioUnit === "percent" ? "10" : "50.00";
      showRefusal("studio-error", "");
    });
  }

  connect();
})();
