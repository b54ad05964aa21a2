// An order's gallery on the Orders page: how far the retouching is, whether the client's gallery
// is open, a new link (shown once: the kiosk keeps only its hash) or withdrawing them all, and
// the client's downloads. Drawn from /api/gallery/{n} when orders.js draws the card, and again
// whenever it redraws it.
"use strict";
(() => {
  const drawn = new WeakMap(); // card -> its section
  const call = RevealApi.call;
  const toast = RevealApi.toast;

  async function load(card) {
    const answer = await call(`/api/gallery/${card.dataset.number}`);
    if (answer) draw(card, answer);
  }

  function attach(card) {
    const section = RevealApi.orderSection(card, "gallery-section", drawn);
    if (!section) return;
    section.querySelector(".gal-new").addEventListener("click", async () => {
      const answer = await call(`/api/gallery/${card.dataset.number}/link`, {});
      if (!answer) return;
      draw(card, answer);
      const url = section.querySelector(".gal-url");
      url.hidden = false;
      url.firstElementChild.href = answer.url;
      url.firstElementChild.textContent = answer.url;
      toast("A new gallery link: copy it now, it is shown only once.");
    });
    section.querySelector(".gal-withdraw").addEventListener("click", async () => {
      const answer = await call(`/api/gallery/${card.dataset.number}/withdraw`, {});
      if (!answer) return;
      section.querySelector(".gal-url").hidden = true;
      draw(card, answer);
      toast(`${answer.withdrawn} gallery link${answer.withdrawn === 1 ? "" : "s"} withdrawn.`);
    });
    load(card);
    card.addEventListener("reveal:finals-changed", () => load(card)); // static/finals.js
    new MutationObserver(() => load(card)).observe(card, { attributes: true, attributeFilter: ["data-status"] });
  }

  function draw(card, view) {
    const section = drawn.get(card);
    section.hidden = view.wanted === 0;
    section.classList.toggle("is-open", view.open);
    section.querySelector(".gal-state").textContent = view.stateText;
    section.querySelector(".gal-link-text").textContent = `Links: ${view.link.text}`;
    section.querySelector(".gal-withdraw").disabled = !view.link.open;
    const list = section.querySelector(".gal-downloads");
    list.replaceChildren();
    for (const d of view.downloads) {
      const li = document.createElement("li");
      li.textContent = `${d.when} · ${d.what} · ${d.text}`;
      list.append(li);
    }
    if (view.downloadCount > view.downloads.length) {
      const li = document.createElement("li");
      li.textContent = `and ${view.downloadCount - view.downloads.length} earlier`;
      list.append(li);
    }
  }

  const list = document.getElementById("orders");
  const attachAll = () => { for (const card of list.querySelectorAll("article.order")) attach(card); };
  new MutationObserver(attachAll).observe(list, { childList: true });
  attachAll();
})();
