// The mirror: what the TV shows, live and view-only. Two stacked images cross-fade like the
// TV; the page has nothing to click and its websocket only listens.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const token = location.pathname.split("/")[2];
  const layers = [$("layer-a"), $("layer-b")];
  let front = 0;
  let shown = null;
  let retry = 500;

  const SCREENS = { slideshow: "Slideshow", select: "Choosing" };
  const DECISIONS = { keep: "Kept", maybe: "Maybe", drop: "Dropped", dropped_in_comparison: "Compared out" };
  const screenName = (name) => SCREENS[name] || name.charAt(0).toUpperCase() + name.slice(1);

  function show(id) {
    if (id === shown) return;
    shown = id;
    if (id === null) {
      layers.forEach((layer) => layer.classList.remove("on"));
      return;
    }
    const back = layers[1 - front];
    back.onload = () => {
      if (shown !== id) return; // a newer image was asked for meanwhile
      back.classList.add("on");
      layers[front].classList.remove("on");
      front = 1 - front;
    };
    back.src = `/mirror/${token}/img/${id}`;
  }

  function render(state) {
    const client = document.querySelector(".client");
    if (client && client.textContent !== state.client) {
      client.textContent = state.client; // the TV switched sessions
      document.title = `${state.client} · Reveal`;
    }
    show(state.current);
    $("screen-name").textContent = screenName(state.screen);
    $("mirror-position").textContent = state.total ? `${state.position} of ${state.total}` : "";
    $("paused").hidden = state.playing || state.screen !== "slideshow";
    const badge = $("mirror-decision");
    badge.hidden = !state.decision || state.screen === "slideshow";
    badge.className = `badge ${state.decision || ""}`;
    badge.textContent = DECISIONS[state.decision] || "";
  }

  function message(text) {
    const box = $("mirror-message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/mirror/${token}/ws`);
    socket.onopen = () => { retry = 500; message(""); };
    socket.onmessage = (event) => render(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (event.code === 4401) {
        layers.forEach((layer) => layer.classList.remove("on"));
        message("This mirror link has expired. Open the one the kiosk shows now.");
        return;
      }
      message("Reconnecting to the kiosk…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  connect();
})();
