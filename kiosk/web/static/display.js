// The room display: the big picture of what the touch screen shows, for a second screen or a
// client on a video call. Nothing here sends a change: the websocket only listens, and every
// address it reads is under /display/<token>/.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const base = `/display/${location.pathname.split("/")[2]}`;
  const VIEWS = {
    slideshow: "photo", select: "photo", actualsize: "photo", compare: "compare",
    review: "review", order: "order", checkout: "order", wallart: "wall", welcome: "welcome",
    album: "album",
  };
  const NAMES = { slideshow: "Slideshow", select: "Choosing", review: "Review", compare: "Comparing",
    order: "Order", checkout: "Order", wallart: "On your wall", actualsize: "Actual size", album: "Album" };
  const STAMPS = { keep: "Kept", maybe: "Maybe", drop: "Dropped", dropped_in_comparison: "Compared out" };
  const img = (id, size) => `${base}/img/${id}${size ? `?size=${size}` : ""}`;
  let retry = 500;

  // photos: two stacked layers cross-fade, like the TV ------------------------------------
  const layers = [$("layer-a"), $("layer-b")];
  let front = 0;
  let shown = null;
  const ahead = new Image();
  // Fetched and decoded ahead of time: the photo a decision moves on to, the slideshow's next.
  function preload(id) {
    const src = img(id);
    if (ahead.getAttribute("src") === src) return;
    ahead.src = src;
    ahead.decode().catch(() => {}); // a photo gone meanwhile: the layer's own load says so
  }

  function showPhoto(id, fade) {
    if (id === shown) return;
    shown = id;
    if (id === null) { layers.forEach((l) => l.classList.remove("on")); return; }
    const back = layers[1 - front];
    back.onload = () => {
      if (shown !== id) return; // a newer photo was asked for meanwhile
      layers.forEach((l) => { l.style.transitionDuration = `${fade}s`; });
      back.classList.add("on");
      layers[front].classList.remove("on");
      front = 1 - front;
    };
    back.src = img(id);
  }

  // the slideshow runs here at the TV's pace, from the photo the TV shows
  let slides = null;
  function slideshow(state) {
    const run = state.screen === "slideshow" && state.playing && state.slideshow;
    if (!run) { if (slides) { clearInterval(slides.timer); slides = null; } return false; }
    const list = state.slideshow.images;
    if (!slides || slides.key !== list.join()) {
      if (slides) clearInterval(slides.timer);
      const start = Math.max(0, list.indexOf(state.current));
      slides = { key: list.join(), index: start, timer: null };
      showPhoto(list[start] ?? null, state.slideshow.crossfade);
      slides.timer = setInterval(() => {
        slides.index = (slides.index + 1) % list.length;
        showPhoto(list[slides.index], state.slideshow.crossfade);
        preload(list[(slides.index + 1) % list.length]);
      }, state.slideshow.seconds * 1000);
      preload(list[(start + 1) % list.length]);
    }
    return true;
  }

  // the wall: the server's picture at this screen's width, asked for again until it is the
  // newest the state names (so a drag ends on the exact saved place) --------------------------
  const wall = { wanted: -1, loaded: -1, busy: false, missing: false, front: 0, final: true };
  const walls = [$("wall-a"), $("wall-b")];
  function wantWall(version, final) {
    wall.wanted = version;
    wall.final = final;
    if (!wall.busy && wall.loaded < version) loadWall();
  }
  function loadWall() {
    wall.busy = true;
    const version = wall.wanted;
    // While a piece is dragged, a picture at half the width (a quarter of the pixels) keeps up
    // with the finger; the saved design comes at the screen's full width.
    const full = Math.round(innerWidth * (devicePixelRatio || 1));
    const width = wall.final ? full : Math.round(full / 2);
    const back = walls[1 - wall.front];
    const done = (ok) => {
      wall.busy = false;
      wall.missing = !ok;
      $("wall-note").hidden = ok;
      if (!ok) return;
      back.dataset.version = String(version); // at least this version: the server draws the newest
      back.classList.add("on");
      walls[wall.front].classList.remove("on");
      walls[wall.front].removeAttribute("data-version");
      wall.front = 1 - wall.front;
      wall.loaded = version;
      if (wall.loaded < wall.wanted) loadWall(); // the newest wins; the last one is exact
    };
    back.onload = () => done(true);
    back.onerror = () => done(false);
    back.src = `${base}/wall.jpg?w=${width}&v=${version}`;
  }

  // actual size: the print the TV shows, at its true size on this screen ------------------
  // The link says how large this screen is (`?diagonal=65`, in inches, or `?diagonal=165cm`).
  // In full-screen kiosk mode the page is the screen: screen.width × screen.height CSS pixels,
  // each devicePixelRatio device pixels across, so the screen's own pixels per inch are
  // hypot(width × ratio, height × ratio) / diagonal, and an inch on the page is that divided by
  // the ratio again (the ratio cancels: zoom or a 4K panel change nothing).
  const MIN_PPI = 8; const MAX_PPI = 400; // as kiosk/core/glass.py: what screens can have
  const diagonalText = new URLSearchParams(location.search).get("diagonal");
  function diagonalInches(text) {
    const m = /^\s*(\d+(?:[.,]\d+)?)\s*(cm|in|inch|inches|"|″)?\s*$/i.exec(text || "");
    if (!m) return null;
    const value = parseFloat(m[1].replace(",", "."));
    return (m[2] || "").toLowerCase() === "cm" ? value / 2.54 : value;
  }
  function cssPerInch() {
    const diagonal = diagonalInches(diagonalText);
    if (!diagonal) return null;
    const ratio = devicePixelRatio || 1;
    const ppi = Math.hypot(screen.width * ratio, screen.height * ratio) / diagonal;
    return ppi >= MIN_PPI && ppi <= MAX_PPI ? ppi / ratio : null;
  }
  let printShown = null;
  function drawPrint(p) {
    printShown = p;
    const perInch = cssPerInch();
    const free = [innerWidth, innerHeight];
    // Without the screen's size: the print as large as fits, and how to get the true size.
    const scale = perInch || Math.min((free[0] * 0.8) / p.width_in, (free[1] * 0.78) / p.height_in);
    const w = Math.round(p.width_in * scale);
    const h = Math.round(p.height_in * scale);
    const paper = $("print-paper");
    Object.assign(paper.style, {
      width: `${w}px`, height: `${h}px`,
      left: `${Math.round((free[0] - w) / 2)}px`, top: `${Math.round((free[1] - h) / 2)}px`,
    });
    paper.dataset.ppi = perInch ? perInch.toFixed(4) : "";
    const border = Math.round(p.border_in * scale);
    const inner = [w - 2 * border, h - 2 * border];
    Object.assign($("print-picture").style, {
      left: `${border}px`, top: `${border}px`, width: `${inner[0]}px`, height: `${inner[1]}px`,
    });
    // The crop (fractions of the photo) fills the paper's picture area exactly, as on the TV.
    const [cx, cy, cw, ch] = p.crop;
    const photo = $("print-photo");
    const full = [inner[0] / cw, inner[1] / ch];
    Object.assign(photo.style, {
      width: `${full[0]}px`, height: `${full[1]}px`,
      left: `${-cx * full[0]}px`, top: `${-cy * full[1]}px`,
    });
    const src = img(p.image);
    if (photo.getAttribute("src") !== src) photo.src = src;
    const whole = w <= free[0] && h <= free[1];
    $("print-label").textContent = perInch ? `${p.label}, shown at true size` : `${p.label}, not at true size`;
    let note = "";
    if (!perInch && diagonalText) {
      note = `This screen's size in its link (“${diagonalText}”) cannot be right: give its diagonal, for example ?diagonal=65 (inches) or ?diagonal=165cm`;
    } else if (!perInch) {
      note = "Add this screen's size to its link to see prints at true size (for example ?diagonal=65 for a 65-inch screen)";
    } else if (!whole) {
      note = `${p.label} is larger than this screen: its middle, at true size, cut by the screen's edges`;
    }
    $("print-note").textContent = note;
    $("print-note").hidden = !note;
  }
  addEventListener("resize", () => { if (printShown && document.body.dataset.view === "print") drawPrint(printShown); });

  // each screen ---------------------------------------------------------------------------
  function compare(state) {
    const c = state.comparing;
    const group = $("compare-group");
    const key = c.group.join();
    if (group.dataset.key !== key) {
      group.dataset.key = key;
      group.replaceChildren(...c.group.map((id) => {
        const photo = document.createElement("img");
        photo.src = img(id);
        photo.dataset.id = id;
        photo.alt = "";
        return photo;
      }));
    }
    $("compare-note").textContent = c.group.length
      ? (c.remaining > 1 ? `${c.remaining} left to remove · keeping ${c.target}` : `Last one to remove · keeping ${c.target}`)
      : `${c.kept} kept`;
  }

  function review(state) {
    const grid = $("review-grid");
    const key = state.images.map((i) => i.id).join();
    if (grid.dataset.key !== key) {
      grid.dataset.key = key;
      grid.replaceChildren(...state.images.map((image) => {
        const tile = document.createElement("figure");
        const photo = document.createElement("img");
        photo.src = img(image.id, "thumb");
        photo.alt = "";
        tile.dataset.id = image.id;
        tile.append(photo);
        return tile;
      }));
    }
    state.images.forEach((image, i) => { grid.children[i].className = image.decision || ""; });
  }

  function order(state) {
    const o = state.order;
    $("order-lines").replaceChildren(...o.lines.map((line) => {
      const row = document.createElement("tr");
      row.className = line.amount.startsWith("-") || line.amount.startsWith("−") ? "discount" : "";
      for (const [cls, text] of [["quantity", line.quantity > 1 ? `${line.quantity}×` : ""], ["label", line.label], ["amount", line.amount]]) {
        const cell = document.createElement("td");
        cell.className = cls;
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
    $("order-total").textContent = o.total || "";
  }

  // the album: the spread the TV shows, its photos filling their cells about their centres
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    return node;
  }

  function album(state) {
    const spread = state.album;
    const box = $("album-spread");
    $("album-position").textContent = spread ? `${spread.title} · ${spread.position}` : "";
    const key = spread ? JSON.stringify(spread.cells) + spread.width : "";
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    if (!spread) { box.replaceChildren(); return; }
    box.setAttribute("viewBox", `0 0 ${spread.width} 100`);
    const pages = [svg("rect", { class: "album-page", x: 0, y: 0, width: spread.width, height: 100 })];
    const cells = spread.cells.map((cell) => cell.image === null
      ? svg("rect", { class: "album-empty", x: cell.x, y: cell.y, width: cell.w, height: cell.h })
      : svg("image", { href: img(cell.image), x: cell.x, y: cell.y, width: cell.w, height: cell.h, preserveAspectRatio: "xMidYMid slice" }));
    const fold = svg("line", { class: "album-fold", x1: spread.fold, y1: 0, x2: spread.fold, y2: 100 });
    box.replaceChildren(...pages, ...cells, fold);
  }

  function render(state) {
    const view = state.screen === "actualsize" && state.print ? "print" : VIEWS[state.screen] || "photo";
    document.body.dataset.view = view;
    document.body.dataset.screen = state.screen;
    for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
    $("client").textContent = state.client || "";
    $("screen-name").textContent = NAMES[state.screen] || "";
    document.title = state.client ? `${state.client} · Reveal` : `${state.studio || "Reveal"}`;
    if (view === "welcome") $("welcome-studio").textContent = state.studio || "";
    if (!slideshow(state) && view === "photo") showPhoto(state.current, state.screen === "slideshow" ? 1.2 : 0.3);
    if (state.next) preload(state.next); // in the cache before the decision moves on
    const stamp = $("stamp");
    stamp.hidden = state.screen !== "select" || !state.decision;
    stamp.className = `stamp ${state.decision || ""}`;
    stamp.textContent = STAMPS[state.decision] || "";
    if (view === "compare") compare(state);
    if (view === "review") review(state);
    if (view === "order") order(state);
    if (view === "print") drawPrint(state.print);
    if (view === "album") album(state);
    if (view === "wall" && state.wall) wantWall(state.wall.version, state.wall.final);
    $("wall-note").hidden = !(view === "wall" && (!state.wall || wall.missing));
  }

  function message(text) {
    const box = $("display-message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${base}/ws`);
    socket.onopen = () => { retry = 500; message(""); };
    socket.onmessage = (event) => render(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (event.code === 4401) {
        document.querySelectorAll("img").forEach((i) => i.removeAttribute("src"));
        message("This display link has ended. Open the one the kiosk shows now.");
        return;
      }
      message("Reconnecting to the kiosk…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  connect();
})();
