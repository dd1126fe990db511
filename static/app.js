// Shared helpers for the web app's pages. Plain JavaScript, no build step.
"use strict";

const App = (() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // Call the JSON API with the session (and its CSRF token). Resolves to the
  // parsed body; rejects with an ApiError carrying the API's {code, message, field}.
  class ApiError extends Error {
    constructor(status, error) {
      super(error?.message || `The server answered ${status}.`);
      this.status = status;
      this.code = error?.code || "error";
      this.field = error?.field || null;
    }
  }

  async function api(method, path, body, { form = false } = {}) {
    const headers = { "X-CSRFToken": csrf(), Accept: "application/json" };
    let payload;
    if (form) payload = body;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
    } catch (e) {
      throw new ApiError(0, { message: "Could not reach the server. Check your connection and try again." });
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data?.error);
    return data;
  }

  // Show an API error next to the field it names (data-field="scenes.0.script"),
  // or in the page's alert region when no field matches.
  function showError(error, root = document) {
    clearErrors(root);
    const target = error.field && root.querySelector(`[data-field="${CSS.escape(error.field)}"]`);
    const box = document.createElement("p");
    box.className = "field-error";
    box.setAttribute("role", "alert");
    box.textContent = error.message;
    if (target) {
      target.setAttribute("aria-invalid", "true");
      target.insertAdjacentElement("afterend", box);
      target.focus?.();
    } else {
      const region = root.querySelector("[data-alerts]") || document.querySelector("[data-alerts]");
      box.textContent = error.field ? `${error.field}: ${error.message}` : error.message;
      (region || document.body).prepend(box);
    }
  }

  function clearErrors(root = document) {
    root.querySelectorAll(".field-error").forEach((el) => el.remove());
    root.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute("aria-invalid"));
  }

  // Call FN every MS milliseconds while it returns true (and the page is open);
  // slows down while the tab is hidden.
  function poll(fn, ms = 2000) {
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      let again = true;
      try { again = await fn(); } catch (e) { again = true; }
      if (again && !stopped) setTimeout(tick, document.hidden ? ms * 5 : ms);
    };
    tick();
    return () => { stopped = true; };
  }

  function formatSeconds(s) {
    if (s == null) return "";
    s = Math.max(0, Math.round(s));
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
  }

  // Play a voice sample through one shared <audio>; BUTTON shows the state.
  let player;
  async function playVoice(voiceId, button) {
    player = player || new Audio();
    player.pause();
    const label = button?.textContent;
    if (button) { button.disabled = true; button.textContent = "Loading…"; }
    try {
      player.src = `/api/v1/voices/${encodeURIComponent(voiceId)}/preview`;
      await player.play();
    } catch (e) {
      showError(new ApiError(0, { message: "Could not play this voice's sample." }));
    } finally {
      if (button) { button.disabled = false; button.textContent = label; }
    }
  }

  return { api, ApiError, showError, clearErrors, poll, formatSeconds, playVoice };
})();

// Behaviour the markup asks for with data- attributes. The Content-Security-Policy
// (saas/csp.py) runs no inline <script> and no onclick=/onsubmit= handler, so
// templates say what they want and this code does it:
// - <form data-confirm="Delete this?">: asks first, and submits only on OK;
// - <select data-submit-on-change>: submits its form when a choice is made;
// - <form data-busy-form>: while it submits, its button is disabled and shows its
//   data-busy-label, and its .busy-note appears.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset?.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.matches?.("[data-busy-form]")) return;
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.disabled = true;
    if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
  }
  const note = form.querySelector(".busy-note");
  if (note) note.hidden = false;
});

document.addEventListener("change", (event) => {
  const control = event.target;
  if (control.matches?.("[data-submit-on-change]") && control.form) control.form.submit();
});
