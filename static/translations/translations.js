// While a language is being worked on, poll the API and reload when any language changes state.
(function () {
  const root = document.querySelector("[data-translation]");
  if (!root || root.dataset.active !== "true") return;
  const seen = root.dataset.state;  // what the page shows; any change means reload
  // ...unless a reviewer is typing in another language's segments: a reload would wipe
  // their unsaved edits. The page then refreshes when they save.
  let editing = false;
  root.addEventListener("input", (event) => { if (event.target.matches("textarea")) editing = true; });
  async function poll() {
    try {
      const response = await fetch(root.dataset.api, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      const state = body.languages.map((l) => `${l.language}:${l.status}:${l.stage}`).join(",");
      if (state !== seen && !editing) { window.location.reload(); return; }
      for (const lang of body.languages) {
        const bar = document.querySelector(`#lang-${lang.language} [role=progressbar]`);
        if (bar) { bar.setAttribute("aria-valuenow", lang.progress); bar.firstElementChild.style.width = `${lang.progress}%`; }
      }
    } catch (error) { /* try again on the next tick */ }
    window.setTimeout(poll, 3000);
  }
  poll();
})();
