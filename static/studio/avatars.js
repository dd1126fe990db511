// The avatar gallery: play previews in place, follow avatars that are still
// being prepared, check a chosen photo at once, upload it, confirm deletes.
// Plain JavaScript on top of App (static/app.js); every form also works without it.
"use strict";

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const csrf = () => $('meta[name="csrf-token"]')?.content || "";

  // A multipart POST that keeps the whole JSON body (the check's report too).
  async function postForm(url, data) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      });
    } catch (e) {
      return { ok: false, status: 0, body: { error: { message: "Could not reach the server. Check your connection and try again." } } };
    }
    const body = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body };
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    children.filter(Boolean).forEach((child) => node.append(child));
    return node;
  }

  // Previews -------------------------------------------------------------------

  function stopOthers(except) {
    $$("video").forEach((video) => { if (video !== except) video.pause(); });
  }

  function playInPlace(button) {
    const media = button.closest("[data-media]");
    const video = el("video", { src: button.dataset.play, controls: "", playsinline: "", class: "av-video" });
    video.setAttribute("aria-label", button.getAttribute("aria-label").replace(/^Play /, ""));
    video.muted = false;
    media.querySelectorAll("img, .av-play").forEach((node) => { node.hidden = true; });
    media.append(video);
    stopOthers(video);
    video.addEventListener("play", () => stopOthers(video));
    video.play().catch(() => {});
    video.focus();
  }

  function playButton(url, name) {
    const button = el("button", { type: "button", class: "av-play", "data-play": url, "aria-label": `Play the talking preview of ${name}` });
    button.innerHTML = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path d="M8 5.5v13l10.5-6.5z" fill="currentColor"/></svg>';
    button.append(el("span", { text: "Play preview" }));
    return button;
  }

  // Live status -----------------------------------------------------------------

  function announce(text) {
    const region = $("[data-announce]");
    if (region) region.textContent = text;
  }

  function followAvatar(card) {
    const url = card.dataset.poll;
    App.poll(async () => {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.status === 404) { card.remove(); return false; }
      const data = await response.json();
      if (data.status === "processing") return true;
      const current = document.getElementById(`avatar-${data.id}`);
      if (current) current.outerHTML = data.html;
      const name = document.querySelector(`#avatar-${data.id} .av-name`)?.textContent.trim() || "Your avatar";
      announce(data.status === "ready" ? `${name} is ready.` : `${name} could not be prepared.`);
      return false;
    }, 3000);
  }

  function followStock(card) {
    let tries = 0; // a render takes a minute or two; stop asking after about 15 minutes
    App.poll(async () => {
      if (++tries > 110) return false;
      const response = await fetch(card.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await response.json();
      if (!data.preview_url) return true;
      const name = $(".av-name", card).textContent.trim();
      $("[data-wait]", card)?.replaceWith(playButton(data.preview_url, name));
      delete card.dataset.poll;
      return false;
    }, 8000);
  }

  function followDetail(box) {
    App.poll(async () => {
      const response = await fetch(box.dataset.pollReload, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await response.json();
      if (data.status === "processing") return true;
      window.location.reload();
      return false;
    }, 3000);
  }

  // Photo check and upload ----------------------------------------------------------

  const TYPES = ["image/jpeg", "image/png", "image/webp"];

  function fieldError(form, field, message) {
    const input = $(`[data-field="${field}"]`, form);
    const slot = $(`[data-error-for="${field}"]`, form);
    if (!input || !slot) { App.showError(new App.ApiError(400, { message, field })); return; }
    input.setAttribute("aria-invalid", "true");
    slot.replaceChildren(el("p", { class: "field-error", role: "alert", text: message }));
    input.focus();
  }

  function clearFieldErrors(form) {
    $$("[data-error-for]", form).forEach((slot) => slot.replaceChildren());
    $$('[aria-invalid="true"]', form).forEach((input) => input.removeAttribute("aria-invalid"));
  }

  function issueList(items) {
    return el("ul", { class: "av-problems" }, ...items.map((item) =>
      el("li", {}, el("strong", { text: item.title }), ` ${item.fix}`,
        item.detail && item.detail !== item.title ? el("span", { class: "av-detail", text: item.detail }) : null)));
  }

  function showFeedback(form, state, fb) {
    const region = $("[data-feedback]", form);
    if (state === "checking") {
      region.replaceChildren(el("div", { class: "av-result av-result-wait" },
        el("span", { class: "av-spinner", "aria-hidden": "true" }), el("span", { text: "Checking your photo…" })));
      return;
    }
    if (state === "clear" || !fb) { region.replaceChildren(); return; }
    const good = fb.ok;
    const box = el("div", { class: `av-result ${good ? "av-result-good" : "av-result-bad"}` },
      el("p", { class: "av-result-title", text: good ? "Looks good: one face, front-facing, clear and well lit." : "This photo won't work yet" }));
    if (fb.problems?.length) box.append(issueList(fb.problems));
    if (fb.tips?.length) {
      box.append(el("p", { class: "av-result-sub", text: good ? "It will work. For the best result:" : "Also:" }), issueList(fb.tips));
    }
    region.replaceChildren(box);
  }

  function showFaceBox(form, fb) {
    const frame = $("[data-facebox]", form);
    const [width, height] = fb?.size || [];
    if (!fb?.face_box || !width || !height) { frame.hidden = true; return; }
    const [x, y, w, h] = fb.face_box;
    Object.assign(frame.style, {
      left: `${(100 * x) / width}%`, top: `${(100 * y) / height}%`,
      width: `${(100 * w) / width}%`, height: `${(100 * h) / height}%`,
    });
    frame.classList.toggle("av-facebox-bad", !fb.ok);
    frame.hidden = false;
  }

  let previewUrl = null;
  function showThumb(form, file) {
    const img = $("[data-thumb-img]", form);
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = file ? URL.createObjectURL(file) : null;
    img.hidden = !file;
    $("[data-thumb-empty]", form).hidden = Boolean(file);
    $("[data-facebox]", form).hidden = true;
    // The frame takes the photo's shape so the face box lines up with the face.
    const frame = $("[data-thumb]", form);
    frame.style.aspectRatio = "";
    img.onload = () => {
      const ratio = img.naturalWidth / img.naturalHeight;
      frame.style.aspectRatio = `${Math.min(Math.max(ratio, 0.5), 2)}`;
    };
    if (file) img.src = previewUrl; else img.removeAttribute("src");
  }

  function localProblem(form, file) {
    const limit = Number(form.dataset.maxMb) || 20;
    if (!TYPES.includes(file.type)) {
      return { code: "unsupported_format", title: "This file type isn't supported.", fix: "Upload a JPEG, PNG or WebP photo." };
    }
    if (file.size > limit * 1024 * 1024) {
      const size = (file.size / 1024 / 1024).toFixed(1);
      return { code: "file_too_large", title: `The file is ${size} MB; the limit is ${limit} MB.`, fix: `Export the photo as a JPEG under ${limit} MB and try again.` };
    }
    return null;
  }

  let checkCount = 0;
  async function checkPhoto(form, file) {
    clearFieldErrors(form);
    showThumb(form, file);
    if (!file) { showFeedback(form, "clear"); return; }
    const problem = localProblem(form, file);
    if (problem) { showFeedback(form, "done", { ok: false, problems: [problem], tips: [] }); return; }
    const mine = ++checkCount;
    showFeedback(form, "checking");
    const data = new FormData();
    data.append("image", file);
    const result = await postForm(form.dataset.checkUrl, data);
    if (mine !== checkCount) return; // another photo was chosen meanwhile
    const fb = result.ok ? result.body : result.body?.error?.feedback;
    if (fb) { showFeedback(form, "done", fb); showFaceBox(form, fb); return; }
    showFeedback(form, "clear");
    fieldError(form, "image", result.body?.error?.message || "We could not check this photo. Try again.");
  }

  function addCard(html) {
    const list = $("[data-my-avatars]");
    list.insertAdjacentHTML("afterbegin", html);
    const card = list.firstElementChild;
    $("[data-empty]")?.setAttribute("hidden", "");
    if (card.dataset.poll) followAvatar(card);
    return card;
  }

  function resetForm(form) {
    form.reset();
    showThumb(form, null);
  }

  function clientRefusal(form) {
    if (!$('[data-field="image"]', form).files.length) return ["image", "Choose a photo first."];
    if (!$('[data-field="consent"]', form).checked) {
      return ["consent", "Tick the consent box: confirm that you are the person in the photo, or have their written permission."];
    }
    return null;
  }

  async function submitUpload(form, event) {
    event.preventDefault();
    clearFieldErrors(form);
    const refusal = clientRefusal(form);
    if (refusal) { fieldError(form, ...refusal); return; }
    const button = $("[data-submit]", form);
    button.disabled = true;
    button.textContent = "Uploading…";
    const result = await postForm(form.action, new FormData(form));
    button.disabled = false;
    button.textContent = "Create avatar";
    if (result.ok) {
      const card = addCard(result.body.html);
      resetForm(form);
      const name = $(".av-name", card)?.textContent.trim();
      showFeedback(form, "clear");
      $("[data-feedback]", form).replaceChildren(el("div", { class: "av-result av-result-good" },
        el("p", { class: "av-result-title", text: `“${name}” is being prepared. Its talking preview appears above in about a minute.` })));
      card.scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    const error = result.body?.error || {};
    if (error.feedback) showFeedback(form, "done", error.feedback);
    fieldError(form, error.field || "image", error.message || "The upload failed. Try again.");
  }

  function setUpUpload(form) {
    form.noValidate = true; // our own messages name the field
    const input = $('[data-field="image"]', form);
    input.addEventListener("change", () => checkPhoto(form, input.files[0]));
    $('[data-field="consent"]', form).addEventListener("change", () => {
      $('[data-error-for="consent"]', form).replaceChildren();
      $('[data-field="consent"]', form).removeAttribute("aria-invalid");
    });
    form.addEventListener("submit", (event) => submitUpload(form, event));
    if (input.files[0]) checkPhoto(form, input.files[0]); // restored by the browser
  }

  // Deleting ------------------------------------------------------------------

  function confirmDelete(form, event) {
    const dialog = $("[data-confirm-dialog]");
    if (!dialog?.showModal) return; // no <dialog>: the plain post goes ahead
    event.preventDefault();
    $("[data-confirm-text]", dialog).textContent = form.dataset.confirm;
    dialog.returnValue = "";
    dialog.onclose = () => { if (dialog.returnValue === "delete") form.submit(); };
    dialog.showModal();
  }

  document.addEventListener("click", (event) => {
    const play = event.target.closest("[data-play]");
    if (play) playInPlace(play);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form) confirmDelete(form, event);
  });
  $$("[data-avatar][data-poll]").forEach(followAvatar);
  $$("[data-stock][data-poll]").forEach(followStock);
  $$("[data-poll-reload]").forEach(followDetail);
  $$("[data-upload-form]").forEach(setUpUpload);
  $("[data-jump-upload]")?.addEventListener("click", () => {
    setTimeout(() => $("#avatar-image")?.focus({ preventScroll: true }), 400);
  });
})();
