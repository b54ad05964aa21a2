// An order's retouched finals on the Orders page: "13 of 15 retouched"; finals uploaded from this
// device (/api/finals/{n}/uploads, resumable: upload.js) or a folder chosen from the drives and
// folders the import may browse (/api/imports/roots and /browse); the finals matched on the
// kiosk (/api/finals/{n}/folder), and each file that could be two images asked with the final
// and the candidates side by side: a tap answers (/api/finals/{n}/choose).
"use strict";
(() => {
  const drawn = new WeakMap(); // card -> its section
  const call = RevealApi.call;
  const toast = RevealApi.toast;

  async function load(card) {
    const answer = await call(`/api/finals/${card.dataset.number}`);
    if (answer) drawState(card, answer);
  }

  function attach(card) {
    const section = RevealApi.orderSection(card, "finals-section", drawn);
    if (!section) return;
    const open = section.querySelector(".fin-open");
    open.addEventListener("click", () => {
      const browser = section.querySelector(".fin-browser");
      browser.hidden = !browser.hidden;
      open.setAttribute("aria-expanded", String(!browser.hidden));
      open.textContent = browser.hidden ? "Add retouched finals" : "Close";
      if (!browser.hidden) showRoots(card);
    });
    section.querySelector(".fin-use").addEventListener("click", () => useFolder(card));
    section.querySelector(".fin-files").addEventListener("change", (event) => {
      const chosen = Array.from(event.target.files);
      event.target.value = "";
      if (chosen.length) upload(card, chosen);
    });
    load(card);
  }

  function drawState(card, view) {
    const section = drawn.get(card);
    section.hidden = view.wanted === 0;
    section.classList.toggle("is-done", view.wanted > 0 && view.retouched === view.wanted);
    section.querySelector(".fin-state").textContent = view.text;
    const missing = section.querySelector(".fin-missing");
    missing.hidden = !view.missing.length;
    missing.textContent = view.missing.length ? `Still to retouch: ${view.missing.join(", ")}` : "";
  }

  // the folder browser: the import's roots, then a folder's folders ------------------------
  const where = new WeakMap(); // card -> {root, path, parent, images}

  async function showRoots(card) {
    const section = drawn.get(card);
    const answer = await call("/api/imports/roots");
    if (!answer) return;
    where.set(card, null);
    section.querySelector(".fin-path").textContent = answer.roots.length ? "Choose a drive or folder" : "";
    section.querySelector(".fin-up").hidden = true;
    section.querySelector(".fin-use").disabled = true;
    section.querySelector(".fin-use").textContent = "Use this folder";
    const list = section.querySelector(".fin-folders");
    list.replaceChildren(...(answer.roots.length ? answer.roots.map((root) =>
      folderButton(root.name, root.kind === "drive" ? "Drive" : "Folder", () => browse(card, root.path, ""))) : [none(
      "No drive is plugged in and no import folder is set (Settings, import folders).")]));
  }

  async function browse(card, root, path) {
    const section = drawn.get(card);
    const params = new URLSearchParams({ root, path });
    const answer = await call(`/api/imports/browse?${params}`);
    if (!answer) return;
    where.set(card, answer);
    const rootName = root.split("/").filter(Boolean).pop() || root;
    section.querySelector(".fin-path").textContent = answer.path ? `${rootName} / ${answer.path}` : rootName;
    const up = section.querySelector(".fin-up");
    up.hidden = false;
    up.onclick = () => (answer.parent === null ? showRoots(card) : browse(card, root, answer.parent));
    const use = section.querySelector(".fin-use");
    use.disabled = answer.images === 0;
    use.textContent = answer.images ? `Use this folder (${answer.images} picture${answer.images === 1 ? "" : "s"})` : "No pictures here";
    const list = section.querySelector(".fin-folders");
    list.replaceChildren(...(answer.folders.length ? answer.folders.map((f) =>
      folderButton(f.name, `${f.images} picture${f.images === 1 ? "" : "s"}${f.folders ? `, ${f.folders} folder${f.folders === 1 ? "" : "s"}` : ""}`,
        () => browse(card, root, f.path))) : [none("No folders inside.")]));
  }

  function folderButton(name, count, open) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    const title = document.createElement("span");
    title.className = "fin-name";
    title.textContent = name;
    const sub = document.createElement("span");
    sub.className = "fin-count";
    sub.textContent = count;
    button.append(title, sub);
    button.addEventListener("click", open);
    li.append(button);
    return li;
  }

  function none(text) {
    const li = document.createElement("li");
    li.className = "none";
    li.textContent = text;
    return li;
  }

  // finals sent from this device, one after the other, then matched as a folder is ----------
  async function upload(card, files) {
    const section = drawn.get(card);
    const number = card.dataset.number;
    const status = section.querySelector(".fin-sending");
    const pick = section.querySelector(".fin-pick");
    pick.classList.add("is-busy");
    let folder = null;
    const failed = [];
    for (const [n, file] of files.entries()) {
      const which = files.length > 1 ? `${file.name} (${n + 1} of ${files.length})` : file.name;
      try {
        const answer = await RevealUpload.send(file, file.name, {
          start: `/api/finals/${number}/uploads`,
          chunk: (id, offset) => `/api/finals-uploads/${number}/${id}?offset=${offset}`,
          progress: (text) => { status.textContent = `${which}: ${text}`; },
        });
        folder = { root: answer.root, path: answer.path };
      } catch (error) {
        failed.push(`${file.name}: ${error.message}`);
      }
    }
    pick.classList.remove("is-busy");
    status.textContent = failed.length ? `Not sent: ${failed.join(" ")}` : "Matching…";
    if (failed.length) toast(`${failed.length} of ${files.length} not sent: ${failed[0]}`);
    if (!folder) return;
    const answer = await call(`/api/finals/${number}/folder`, folder);
    if (!failed.length) status.textContent = "";
    if (answer) matched(card, answer);
  }

  // matching, and the questions it leaves -------------------------------------------------
  async function useFolder(card) {
    const section = drawn.get(card);
    const here = where.get(card);
    if (!here) return;
    const use = section.querySelector(".fin-use");
    use.disabled = true;
    use.textContent = "Matching…";
    const answer = await call(`/api/finals/${card.dataset.number}/folder`, { root: here.root, path: here.path });
    use.disabled = false;
    use.textContent = "Use this folder";
    if (answer) matched(card, answer);
  }

  function matched(card, answer) {
    const section = drawn.get(card);
    section.querySelector(".fin-browser").hidden = true;
    const open = section.querySelector(".fin-open");
    open.setAttribute("aria-expanded", "false");
    open.textContent = "Add retouched finals";
    drawResult(card, answer);
    card.dispatchEvent(new CustomEvent("reveal:finals-changed")); // the gallery's state follows
  }

  function drawResult(card, view) {
    const section = drawn.get(card);
    drawState(card, view);
    const result = section.querySelector(".fin-result");
    result.hidden = false;
    const asked = view.ambiguous.length;
    section.querySelector(".fin-said").textContent =
      `${view.added} final${view.added === 1 ? "" : "s"} added: ${view.text}.` +
      (asked ? ` ${asked} file${asked === 1 ? "" : "s"} could be more than one image: which is it?` : "");
    section.querySelector(".fin-questions").replaceChildren(...view.ambiguous.map((q) => question(card, view, q)));
    section.querySelector(".fin-matched").replaceChildren(...view.matched.map((m) => {
      const li = document.createElement("li");
      li.textContent = `${m.file} → ${m.image}${m.by === "picture" ? " (by the picture)" : ""}`;
      return li;
    }));
    const unmatched = section.querySelector(".fin-unmatched");
    unmatched.hidden = !view.unmatched.length;
    unmatched.textContent = view.unmatched.length
      ? `Not one of the order's images: ${view.unmatched.join(", ")}` : "";
  }

  function question(card, view, q) {
    const box = document.getElementById("finals-question").content.firstElementChild.cloneNode(true);
    box.querySelector(".fin-file").textContent = q.file;
    box.setAttribute("aria-label", `Which ordered image is ${q.file}?`);
    const params = new URLSearchParams({ root: view.root, path: view.path, file: q.file });
    const final = box.querySelector(".fin-final img");
    final.src = `/api/finals/preview?${params}`;
    final.alt = q.file;
    box.querySelector(".fin-candidates").replaceChildren(...q.candidates.map((c) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "fin-candidate";
      button.setAttribute("aria-label", `It is ${c.image}`);
      const figure = document.createElement("figure");
      const img = document.createElement("img");
      img.src = c.thumb;
      img.alt = c.image;
      const caption = document.createElement("figcaption");
      caption.textContent = c.image;
      figure.append(img, caption);
      button.append(figure);
      button.addEventListener("click", () => answer(card, view, q, c.imageId, box));
      return button;
    }));
    box.querySelector(".fin-none").addEventListener("click", () => answer(card, view, q, null, box));
    return box;
  }

  async function answer(card, view, q, imageId, box) {
    for (const button of box.querySelectorAll("button")) button.disabled = true;
    const body = { root: view.root, path: view.path, file: q.file, imageId };
    const reply = await call(`/api/finals/${card.dataset.number}/choose`, body);
    if (!reply) { for (const button of box.querySelectorAll("button")) button.disabled = false; return; }
    box.remove();
    drawState(card, reply);
    toast(reply.said);
    card.dispatchEvent(new CustomEvent("reveal:finals-changed")); // the gallery's state follows
  }

  const list = document.getElementById("orders");
  const attachAll = () => { for (const card of list.querySelectorAll("article.order")) attach(card); };
  new MutationObserver(attachAll).observe(list, { childList: true });
  attachAll();
})();
