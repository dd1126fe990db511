// The dashboard's live cards and the video page's live progress. Needs app.js (App).
"use strict";

(() => {
  const POLL_MS = 3000;

  function etaText(video) {
    if (video.eta_seconds != null) return `About ${App.formatSeconds(video.eta_seconds)} left`;
    if (video.queue_position != null) {
      return `In line for a render slot: ${video.queue_position === 1 ? "next" : `number ${video.queue_position}`} (your plan renders a set number at a time)`;
    }
    return video.status === "queued" ? "Waiting for a render worker" : "Estimating time left…";
  }

  async function fetchLive(url, ids) {
    const response = await fetch(`${url}?ids=${ids.map(encodeURIComponent).join(",")}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.status === 404) return []; // none of them is here any more
    if (!response.ok) throw new Error(`live ${response.status}`);
    return (await response.json()).videos;
  }

  // Progress bar, stage, percent and ETA inside ROOT (a card or the video page).
  function drawProgress(root, video) {
    const set = (selector, text) => root.querySelectorAll(selector).forEach((el) => { el.textContent = text; });
    set("[data-stage]", video.stage_label);
    set("[data-percent]", `${video.progress}%`);
    set("[data-eta]", etaText(video));
    root.querySelectorAll("[data-bar]").forEach((bar) => {
      bar.setAttribute("aria-valuenow", video.progress);
      bar.setAttribute("aria-valuetext", `${video.progress}%, ${video.stage_label}`);
      bar.firstElementChild.style.width = `${video.progress}%`;
    });
  }

  // Confirmations and copy buttons, by delegation so that swapped-in HTML works too.
  document.addEventListener("submit", (event) => {
    const message = event.target.dataset?.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const input = document.querySelector(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (e) {
      input.select();
      document.execCommand?.("copy");
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = label; }, 1600);
  });

  // Dashboard ------------------------------------------------------------------------

  // Filters apply as soon as they change (the Apply button stays for keyboards and no-JS).
  document.addEventListener("change", (event) => {
    const form = event.target.closest?.(".vd-filters");
    if (form && event.target.matches("select, input[type=checkbox]")) form.requestSubmit();
  });

  function showPoster(card, poster) {
    const thumb = card.querySelector("[data-thumb]");
    if (!poster || thumb.querySelector("img")) return;
    const image = (className) => {
      const img = document.createElement("img");
      img.src = poster;
      img.alt = "";
      if (className) img.className = className;
      return img;
    };
    const placeholder = thumb.querySelector(".vd-ph");
    if (!thumb.classList.contains("vd-thumb-16x9")) placeholder?.before(image("vd-thumb-bg"));
    placeholder?.replaceWith(image());
  }

  function updateCard(card, video) {
    card.dataset.active = String(video.active);
    card.dataset.status = video.status;
    const badge = card.querySelector("[data-status-badge]");
    badge.className = `vd-status vd-status-${video.status}`;
    badge.textContent = video.status_label;
    card.querySelector("[data-live]").hidden = !video.active;
    drawProgress(card, video);
    if (!video.active) showPoster(card, video.poster);
    const error = card.querySelector("[data-error]");
    error.textContent = video.error || "";
    error.hidden = !video.error;
  }

  function watchDashboard(grid) {
    const activeCards = () => [...grid.querySelectorAll('[data-video-card][data-active="true"]')];
    if (!activeCards().length) return;
    App.poll(async () => {
      const cards = activeCards();
      if (!cards.length) return false;
      const videos = await fetchLive(grid.dataset.liveUrl, cards.map((c) => c.dataset.id));
      if (!videos.length) return false;
      for (const video of videos) {
        const card = grid.querySelector(`[data-video-card][data-id="${CSS.escape(video.id)}"]`);
        if (card) updateCard(card, video);
      }
      return activeCards().length > 0;
    }, POLL_MS);
  }

  // Video page ------------------------------------------------------------------------

  // Fetch this page again and swap in its video region (player, error, steps, actions).
  async function reloadRegion(region) {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`page ${response.status}`);
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = html.querySelector("[data-video-region]");
    if (fresh) region.replaceWith(document.adoptNode(fresh));
    return fresh || region;
  }

  function announce(text) {
    const live = document.querySelector("[data-announce]");
    if (live) live.textContent = text;
  }

  function watchVideo(start) {
    let region = start;
    if (region.dataset.active !== "true") return;
    App.poll(async () => {
      const [video] = await fetchLive(region.dataset.liveUrl, [region.dataset.id]);
      if (!video) return false;
      const changed = video.status !== region.dataset.status || video.stage !== region.dataset.stage;
      if (changed) {
        region = await reloadRegion(region);
        if (video.status !== start.dataset.status) announce(`The video is ${video.status_label.toLowerCase()}.`);
      } else {
        drawProgress(region, video);
      }
      return region.dataset.active === "true";
    }, POLL_MS);
  }

  function start() {
    const grid = document.querySelector(".vd-grid[data-live-url]");
    if (grid) watchDashboard(grid);
    const region = document.querySelector("[data-video-region]");
    if (region) watchVideo(region);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
