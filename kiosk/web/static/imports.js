// Adding photos to a session (templates/import_panel.html): uploaded from this browser in
// chunks that resume where they stopped, or imported from a drive plugged into the kiosk. The
// kiosk says on /ws/imports how the import goes: each file imported, or skipped with its reason.
"use strict";
(() => {
  const panel = document.getElementById("imports");
  if (!panel) return;
  const api = window.RevealApi;
  const session = Number(panel.dataset.session);
  const $ = (id) => document.getElementById(id);
  const SENDERS = 2; // files on their way at once: one hashing while another sends
  const HIDDEN = /(^|\/)\./; // .DS_Store, ._IMG_0001.JPG, .Trashes

  // One row per file chosen in this page: {file, name, size, sent, state, stored, row}
  const files = [];
  const byStored = new Map();
  let waiting = [];
  let sending = 0;
  let latest = null; // the kiosk's last word on this session's imports

  // ---- choosing --------------------------------------------------------------------------
  $("import-files").addEventListener("change", (event) => {
    add(Array.from(event.target.files, (file) => ({ file, name: file.name })));
    event.target.value = "";
  });
  $("import-folder").addEventListener("change", (event) => {
    add(Array.from(event.target.files, (file) => ({ file, name: file.webkitRelativePath || file.name })));
    event.target.value = "";
  });
  for (const kind of ["dragenter", "dragover"]) {
    panel.addEventListener(kind, (event) => { event.preventDefault(); panel.classList.add("is-dropping"); });
  }
  panel.addEventListener("dragleave", () => panel.classList.remove("is-dropping"));
  panel.addEventListener("drop", async (event) => {
    event.preventDefault();
    panel.classList.remove("is-dropping");
    const entries = Array.from(event.dataTransfer.items || [], (item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) {
      const found = [];
      for (const entry of entries) await walk(entry, "", found);
      add(found);
    } else {
      add(Array.from(event.dataTransfer.files, (file) => ({ file, name: file.name })));
    }
  });

  // Every file under a dropped folder, with its path from the folder dropped.
  async function walk(entry, prefix, found) {
    const path = prefix + entry.name;
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ file, name: path });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, path + "/", found);
      }
    }
  }

  function add(chosen) {
    const fresh = chosen.filter(({ name }) => !HIDDEN.test(name)).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    if (!fresh.length) return;
    $("import-progress").hidden = false;
    for (const { file, name } of fresh) {
      const row = $("import-row").content.firstElementChild.cloneNode(true);
      row.querySelector(".import-name").textContent = name;
      $("import-list").append(row);
      const item = { file, name, size: file.size, sent: 0, state: "waiting", stored: "", row };
      files.push(item);
      waiting.push(item);
      show(item, "Waiting");
    }
    totals();
    while (sending < SENDERS && waiting.length) sendNext();
  }

  // ---- sending ---------------------------------------------------------------------------
  async function sendNext() {
    const item = waiting.shift();
    if (!item) return;
    sending += 1;
    try {
      await send(item);
    } catch (error) {
      fail(item, error.message || String(error));
    } finally {
      sending -= 1;
      if (waiting.length) sendNext();
    }
  }

  async function send(item) {
    const answer = await RevealUpload.send(item.file, item.name, {
      start: `/api/sessions/${session}/uploads`,
      chunk: (upload, offset) => `/api/uploads/${session}/${upload}?offset=${offset}`,
      progress: (text, received) => {
        if (received !== null) {
          item.sent = received;
          item.row.querySelector("progress").value = item.sent / item.size;
        }
        show(item, text);
        if (received !== null) totals();
      },
    });
    item.sent = item.size;
    item.stored = answer.stored;
    item.row.querySelector("progress").value = 1;
    byStored.set(item.stored, item);
    item.state = "importing";
    show(item, "Importing…");
    totals();
    if (latest) outcome(latest);
  }

  // ---- what the kiosk says --------------------------------------------------------------
  function listen() {
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/imports`);
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      const mine = message.sessions && message.sessions[String(session)];
      if (mine) {
        const ended = latest && latest.running && !mine.running;
        latest = mine;
        outcome(mine);
        // The session's page counts its photos again (static/session.js).
        if (ended) document.dispatchEvent(new CustomEvent("reveal:photos-added", { detail: mine }));
      }
    };
    socket.onclose = (event) => {
      if (event.code === 4401) { location.replace("/pair"); return; }
      setTimeout(listen, 2000);
    };
  }

  function outcome(progress) {
    for (const name of [...progress.imported, ...progress.unchanged]) settle(name, "imported", "Imported");
    for (const [name, reason] of progress.skipped) settle(name, "skipped", reason);
    const now = $("import-now");
    const fromDrive = !files.length;
    if (fromDrive) $("import-progress").hidden = !(progress.total || progress.running || progress.error);
    if (progress.error) now.textContent = progress.error;
    else if (progress.running && progress.current) now.textContent = `Importing ${progress.current}`;
    else if (progress.running) now.textContent = "Importing…";
    else now.textContent = "";
    if (fromDrive) {
      const list = $("import-list");
      list.replaceChildren();
      for (const [name, reason] of progress.skipped) {
        const row = $("import-row").content.firstElementChild.cloneNode(true);
        row.querySelector(".import-name").textContent = name;
        row.querySelector("progress").remove();
        row.classList.add("is-skipped");
        row.querySelector(".import-state").textContent = reason;
        list.append(row);
      }
      const done = progress.total ? progress.done / progress.total : 0;
      $("import-sent").closest(".import-bar-row").hidden = true;
      $("import-done").value = done;
      $("import-done-text").textContent = progress.total ? `${progress.done} of ${progress.total} · ${Math.floor(done * 100)} %` : "";
    }
    totals();
  }

  function settle(stored, state, text) {
    const item = byStored.get(stored);
    if (!item || item.state === "imported" || item.state === "skipped") return;
    item.state = state;
    item.row.classList.toggle("is-skipped", state === "skipped");
    item.row.classList.toggle("is-imported", state === "imported");
    show(item, text);
  }

  function fail(item, reason) {
    item.state = "skipped";
    item.row.classList.add("is-skipped");
    show(item, reason);
    totals();
  }

  function show(item, text) {
    item.row.querySelector(".import-state").textContent = text;
  }

  function totals() {
    if (!files.length) return;
    $("import-sent").closest(".import-bar-row").hidden = false;
    const size = files.reduce((sum, f) => sum + f.size, 0) || 1;
    const sent = files.reduce((sum, f) => sum + (f.state === "skipped" ? f.size : f.sent), 0);
    const settled = files.filter((f) => f.state === "imported" || f.state === "skipped").length;
    const skipped = files.filter((f) => f.state === "skipped").length;
    $("import-sent").value = sent / size;
    $("import-sent-text").textContent = `${mb(sent)} of ${mb(size)} MB`;
    $("import-done").value = settled / files.length;
    $("import-done-text").textContent = `${settled} of ${files.length} · ${Math.floor((100 * settled) / files.length)} %`;
    if (settled === files.length) {
      // The files that need the photographer first, each with its reason.
      const list = $("import-list");
      list.prepend(...files.filter((f) => f.state === "skipped").map((f) => f.row));
      $("import-now").textContent = skipped
        ? `${settled - skipped} imported, ${skipped} skipped: each says why below.`
        : `All ${settled} imported.`;
    }
  }

  const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);

  // ---- a drive plugged into the kiosk -------------------------------------------------------
  let where = null; // {root, path}

  $("import-browse").addEventListener("click", async () => {
    const drives = $("import-drives");
    if (!drives.hidden) { drives.hidden = true; return; }
    const answer = await api.call("/api/imports/roots");
    if (!answer) return;
    drives.hidden = false;
    where = null;
    const list = $("import-folders");
    list.replaceChildren();
    $("import-where").textContent = answer.roots.length ? "Drives and folders" : "";
    $("import-here").disabled = true;
    if (!answer.roots.length) {
      const empty = document.createElement("li");
      empty.className = "dim";
      empty.textContent = "No drive is plugged into the kiosk. Plug in the card or USB stick, wait a few seconds, and tap “From a drive…” again.";
      list.append(empty);
    }
    for (const root of answer.roots) list.append(folderButton(root.name, root.kind === "drive" ? "Drive" : "Folder", () => open(root.path, "", root.name)));
  });

  async function open(root, path, rootName) {
    const answer = await api.call(`/api/imports/browse?root=${encodeURIComponent(root)}&path=${encodeURIComponent(path)}`);
    if (!answer) return;
    where = { root, path: answer.path, rootName };
    const crumbs = $("import-where");
    crumbs.replaceChildren();
    const parts = answer.path ? answer.path.split("/") : [];
    crumbs.append(crumb(rootName, () => open(root, "", rootName)));
    parts.forEach((part, i) => crumbs.append(crumb(part, () => open(root, parts.slice(0, i + 1).join("/"), rootName))));
    const list = $("import-folders");
    list.replaceChildren();
    for (const folder of answer.folders) {
      const detail = [folder.images ? `${folder.images} photos` : "", folder.folders ? `${folder.folders} folders` : ""].filter(Boolean).join(", ") || "empty";
      list.append(folderButton(folder.name, detail, () => open(root, folder.path, rootName)));
    }
    const here = $("import-here");
    here.disabled = false;
    here.textContent = answer.images ? `Import this folder (${answer.images} photos here)` : "Import this folder and the folders in it";
  }

  function crumb(text, onclick) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn quiet crumb";
    button.textContent = text;
    button.addEventListener("click", onclick);
    return button;
  }

  function folderButton(name, detail, onclick) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn import-folder";
    const label = document.createElement("span");
    label.textContent = name;
    const small = document.createElement("span");
    small.className = "dim";
    small.textContent = detail;
    button.append(label, small);
    button.addEventListener("click", onclick);
    item.append(button);
    return item;
  }

  $("import-here").addEventListener("click", async () => {
    if (!where) return;
    const answer = await api.call(`/api/sessions/${session}/import/folder`, { root: where.root, path: where.path });
    if (!answer) return;
    $("import-drives").hidden = true;
    latest = answer.progress;
    outcome(answer.progress);
  });

  listen();
})();
