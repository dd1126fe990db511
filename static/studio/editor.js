// The video editor: a draft's scenes, look and cost, saved as you go.
// It edits `draft.request` (the shape of POST /api/v1/videos) and talks to the
// drafts API with the session. Link drafts (from a product page) add the product,
// its images and script regeneration above the scenes.
"use strict";

(() => {
  const DATA = JSON.parse(document.getElementById("editor-data").textContent);
  const root = document.getElementById("editor");
  const MAX_SCRIPT_CHARS = DATA.limits.script_chars; // the API refuses longer scripts
  const canEdit = DATA.canEdit;
  let draft = DATA.draft;
  let req = normalise(draft.request);
  const isLink = Boolean(draft.product);
  let pool = []; // workspace images: {asset, url, name}
  let saveTimer = null;
  let saving = null;
  let dirty = false;

  // A draft saved through the API may hold anything JSON can: keep what the editor
  // can show, so one odd value cannot break the page (rendering checks it all).
  function normalise(request) {
    const isObject = (v) => v && typeof v === "object" && !Array.isArray(v);
    request.scenes = (Array.isArray(request.scenes) ? request.scenes : []).filter(isObject);
    for (const scene of request.scenes) {
      if (scene.script != null && typeof scene.script !== "string") scene.script = String(scene.script);
      if (!Array.isArray(scene.media)) delete scene.media;
      if (!Array.isArray(scene.overlays)) delete scene.overlays;
      else scene.overlays = scene.overlays.filter(isObject);
      if (!isObject(scene.background)) delete scene.background;
    }
    if (!request.scenes.length) request.scenes.push({ script: "" });
    return request;
  }

  // --- DOM helpers ------------------------------------------------------------
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  function field(labelText, control, help) {
    const id = control.id || (control.id = nextId("f"));
    const wrap = h("div", { class: "field" }, h("label", { for: id, text: labelText }), control);
    if (help) {
      const helpId = `${id}-help`;
      control.setAttribute("aria-describedby", helpId);
      wrap.append(h("p", { class: "help muted", id: helpId, text: help }));
    }
    return wrap;
  }

  function select(options, value, attrs = {}) {
    const el = h("select", attrs);
    for (const opt of options) {
      if (opt.group) {
        const group = h("optgroup", { label: opt.group });
        opt.options.forEach((o) => group.append(h("option", { value: o.value, text: o.label })));
        el.append(group);
      } else el.append(h("option", { value: opt.value, text: opt.label }));
    }
    el.value = value ?? options[0]?.value ?? "";
    return el;
  }

  // --- Choices ----------------------------------------------------------------
  const languageNames = new Intl.DisplayNames(["en"], { type: "language" });
  function voiceOptions() {
    const groups = new Map();
    for (const v of DATA.voices) {
      const lang = v.language.split("-")[0];
      let name;
      try { name = languageNames.of(v.language) || v.language; } catch (e) { name = v.language; }
      const key = lang === "en" ? `English` : name;
      if (!groups.has(key)) groups.set(key, []);
      const quality = v.quality === "neural" ? " · natural" : v.quality === "basic" ? " · robotic" : "";
      groups.get(key).push({ value: v.id, label: `${v.name} (${v.language}${quality})` });
    }
    const sorted = [...groups.entries()].sort(([a], [b]) => (a === "English" ? -1 : b === "English" ? 1 : a.localeCompare(b)));
    return sorted.map(([group, options]) => ({ group, options }));
  }
  const VOICES = voiceOptions();
  const AVATARS = DATA.avatars.map((a) => ({ value: a.id, label: a.stock ? a.name : `${a.name} (your photo)` }));
  const LAYOUTS = DATA.layouts.map((l) => ({ value: l.id, label: l.name }));
  const layoutHelp = (id) => (DATA.layouts.find((l) => l.id === id) || {}).help || "";
  const MUSIC = [{ value: "", label: "No music" }, ...DATA.music.map((m) => ({ value: m.id, label: `${m.name} (${m.mood})` }))];
  const OVERLAYS = [
    { value: "title", label: "Title" },
    { value: "bullets", label: "Bullet points" },
    { value: "price", label: "Price card" },
    { value: "cta", label: "Call-to-action button" },
  ];
  const BACKGROUNDS = [
    { value: "", label: "Automatic" },
    { value: "color", label: "Solid colour" },
    { value: "gradient", label: "Gradient" },
    { value: "image", label: "Image" },
    { value: "presenter_blur", label: "Blurred presenter photo" },
  ];

  const scenes = () => (req.scenes = req.scenes || []);
  const firstScene = () => scenes()[0] || {};
  const wordsOf = (text) => String(text || "").trim().split(/\s+/).filter(Boolean).length;
  const secondsOf = (scene) => wordsOf(scene.script) / (2.6 * (scene.rate || 1)) + 0.6;

  // --- Saving and the estimate ------------------------------------------------
  const saveState = document.getElementById("save-state");
  function changed() {
    if (!canEdit) return;
    dirty = true;
    saveState.textContent = "Unsaved changes";
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1200);
  }

  async function save() {
    clearTimeout(saveTimer);
    if (!canEdit) return true;
    if (saving) await saving;
    if (!dirty) return true;
    dirty = false;
    saveState.textContent = "Saving…";
    const title = document.getElementById("draft-title").value;
    req.title = title;
    saving = App.api("PUT", DATA.urls.draft, { title, request: req })
      .then((data) => {
        draft = data;
        saveState.textContent = `Saved ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
        estimate();
        return true;
      })
      .catch((error) => {
        dirty = true;
        saveState.textContent = "Not saved";
        App.showError(error, root);
        return false;
      })
      .finally(() => { saving = null; });
    return saving;
  }

  function renderRequest() {
    const { link, ...rest } = req;
    return rest;
  }

  let estimateSeq = 0;
  async function estimate() {
    const box = document.getElementById("estimate");
    if (!box) return;
    const seq = ++estimateSeq;
    try {
      const result = await App.api("POST", DATA.urls.estimate, renderRequest());
      if (seq !== estimateSeq) return;
      box.replaceChildren(
        h("dl", { class: "estimate" },
          h("dt", { text: "Length" }), h("dd", { text: `about ${App.formatSeconds(result.duration_s)}` }),
          h("dt", { text: "Cost" }), h("dd", { text: `${result.credits} credits` }),
          h("dt", { text: "Your balance" }), h("dd", { text: `${result.balance} credits` })),
        ...result.problems.map((p) => h("p", { class: "field-error", text: p.message })),
        result.allowed ? h("p", { class: "muted", text: "Credits are only used when the video renders successfully." }) : null,
      );
    } catch (error) {
      if (seq !== estimateSeq) return;
      const where = error.field ? `${describeField(error.field)}: ` : "";
      box.replaceChildren(h("p", { class: "field-error", text: `Before this can render: ${where}${error.message}` }));
    }
  }

  function describeField(path) {
    const m = /^scenes\.(\d+)\.?(.*)$/.exec(path);
    if (!m) return path;
    return `Scene ${Number(m[1]) + 1}${m[2] ? ` (${m[2].replace(/\./g, " ")})` : ""}`;
  }

  async function renderVideo(button) {
    App.clearErrors(root);
    if (isLink && priceInDoubt()) {  // shown at the price field, which takes the focus
      App.showError(new App.ApiError(400, { message: "Enter the price, or choose no price, before rendering.", field: "price" }), root);
      return;
    }
    button.disabled = true;
    const label = button.textContent;
    button.textContent = "Starting…";
    dirty = true;
    const saved = await save();
    if (!saved) { button.disabled = false; button.textContent = label; return; }
    try {
      const video = await App.api("POST", DATA.urls.render, {});
      window.location.href = DATA.urls.video.replace("00000000-0000-0000-0000-000000000000", video.id);
    } catch (error) {
      App.showError(error, root);
      button.disabled = false;
      button.textContent = label;
    }
  }

  function money(amount, currency) {
    try {
      if (currency) return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(Number(amount));
    } catch (e) { /* an unknown currency code: fall through */ }
    return `${amount}${currency ? ` ${currency}` : ""}`;
  }

  // --- Product (link drafts) ----------------------------------------------------
  function productSection() {
    const p = draft.product;
    const link = (req.link = req.link || { images: [] });
    const price = p.price ? money(p.price, p.currency) : "No price found";
    const grid = h("ul", { class: "image-grid", "aria-label": "Product images" });
    draft.images.forEach((image, index) => {
      const box = h("input", { type: "checkbox", id: nextId("img"), checked: link.images.includes(image.asset), disabled: !canEdit });
      box.addEventListener("change", () => {
        if (box.checked) link.images.push(image.asset);
        else {
          link.images = link.images.filter((a) => a !== image.asset);
          scenes().forEach((s) => { if (s.media) s.media = s.media.filter((m) => mediaId(m) !== image.asset); });
          renderScenes();
        }
        changed();
      });
      grid.append(h("li", { class: "image-choice" },
        h("img", { src: image.url, alt: `Product image ${index + 1}`, loading: "lazy" }),
        h("label", { for: box.id }, box, ` Use image ${index + 1}`)));
    });
    const upload = uploadControl("Add your own images", async (asset) => {
      const first = draft.images.length === 0;
      draft.images.push({ asset: asset.id, url: asset.url, selected: true });
      link.images.push(asset.id);
      if (first && canEdit) {
        // The page gave no images: write the scenes again so they show this one.
        try {
          await save();
          await rewriteScript({ tone: link.tone || "energetic", length: Number(link.length || 30), seed: link.seed || 0, images: link.images });
        } catch (error) {
          App.showError(error, root);
        }
        return;
      }
      changed();
      rerender();
    });
    const bullets = (p.features || p.bullets || []).slice(0, 5);
    return h("section", { id: "product", class: "card step", "aria-labelledby": "product-h" },
      h("h2", { id: "product-h" }, h("span", { class: "step-no", text: "2" }), "Product"),
      priceInDoubt() ? priceConfirm() : null,
      p.language_note ? h("p", { class: "language-note", role: "status", text: p.language_note }) : null,
      h("div", { class: "product-summary" },
        h("div", {},
          h("p", { class: "product-title", text: p.title || "Untitled product" }),
          h("p", { class: "product-price", text: price }),
          bullets.length ? h("ul", { class: "muted" }, bullets.map((b) => h("li", { text: b }))) : null,
          draft.source_url ? h("p", {}, h("a", { href: draft.source_url, target: "_blank", rel: "noopener noreferrer", text: "Open the product page" })) : null)),
      draft.images.length ? h("p", { class: "muted", text: "Untick images you don't want in the video. New images are used when you regenerate the script, or add them to a scene below." }) : null,
      draft.images.length ? grid : h("p", { class: "empty", role: "status", text: `${p.images_problem || "No usable images were found on the page."} Add your own: the scenes are written again to show them.` }),
      canEdit ? upload : null);
  }

  // Write the link draft's scenes again (keeping its images, presenter and voice).
  async function rewriteScript(options) {
    draft = await App.api("POST", DATA.urls.script, {
      images: (req.link || {}).images || [],
      avatar: firstScene().avatar || DATA.defaults.avatar,
      voice: firstScene().voice || DATA.defaults.voice,
      ...options,
    });
    req = normalise(draft.request);
    rerender();
    estimate();
  }

  // A price the page did not state clearly is never guessed: the seller gives it.
  function priceInDoubt() {
    const p = draft.product || {};
    return !p.price_confirmed && p.uncertain && p.uncertain.price;
  }

  function priceConfirm() {
    const input = h("input", { id: "price-confirm", "data-field": "price", type: "text", inputmode: "decimal", maxlength: 40, placeholder: "e.g. 19.99", disabled: !canEdit });
    const use = h("button", { type: "button", disabled: !canEdit, text: "Use this price" });
    const none = h("button", { type: "button", class: "secondary", disabled: !canEdit, text: "No price in this ad" });
    const send = async (price, button) => {
      App.clearErrors(root);
      button.disabled = true;
      await save();
      try {
        const link = req.link || {};
        await rewriteScript({ tone: link.tone || "energetic", length: Number(link.length || 30), seed: link.seed || 0, price });
      } catch (error) {
        App.showError(error, input.parentElement);
        button.disabled = false;
      }
    };
    use.addEventListener("click", () => {
      if (!input.value.trim()) { input.focus(); return; }
      send(input.value.trim(), use);
    });
    none.addEventListener("click", () => send("", none));
    return h("div", { class: "price-confirm", role: "alert" },
      h("p", {}, h("strong", { text: "We could not find a price we are sure of; enter it. " }), draft.product.uncertain.price),
      h("label", { for: input.id, text: "Price in the ad" }), input, use, none,
      h("p", { class: "muted", text: "The script is written again with the price you give. Nothing renders until you choose." }));
  }

  function scriptControls() {
    const link = req.link || {};
    const tone = select([{ value: "energetic", label: "Energetic" }, { value: "professional", label: "Professional" }, { value: "friendly", label: "Friendly" }], link.tone || "energetic", { disabled: !canEdit });
    const length = select([15, 30, 60].map((n) => ({ value: String(n), label: `${n} seconds` })), String(link.length || 30), { disabled: !canEdit });
    const button = h("button", { type: "button", class: "secondary", disabled: !canEdit, text: "Regenerate script" });
    button.addEventListener("click", async () => {
      if (!confirm("Write the script again? Your edits to the scenes are replaced.")) return;
      button.disabled = true;
      button.textContent = "Writing…";
      await save();
      try {
        await rewriteScript({ tone: tone.value, length: Number(length.value), seed: Math.floor(Math.random() * 1000000) });
      } catch (error) {
        App.showError(error, root);
      } finally {
        button.disabled = false;
        button.textContent = "Regenerate script";
      }
    });
    return h("div", { class: "inline script-controls" }, field("Tone", tone), field("Length", length), button);
  }

  // --- Scenes -------------------------------------------------------------------
  const mediaId = (m) => (typeof m === "string" ? m : m.asset || m.src);
  const imageUrl = (id) => (pool.find((i) => i.asset === id) || draft.images.find((i) => i.asset === id) || {}).url;

  function sceneCard(scene, index) {
    const n = index + 1;
    const path = `scenes.${index}`;
    const last = scenes().length - 1;
    const headingId = nextId("scene-h");
    // No maxlength: a pasted script longer than the limit is kept whole and the count
    // says what to do, instead of being cut off without a word.
    const script = h("textarea", { rows: 4, "data-field": `${path}.script`, disabled: !canEdit, placeholder: "What the presenter says in this scene…" });
    script.value = scene.script || "";
    const count = h("span", { class: "muted count", "aria-live": "polite" });
    const updateCount = () => {
      const length = (scene.script || "").length;
      const over = length > MAX_SCRIPT_CHARS;
      count.className = over ? "field-error count" : "muted count";
      count.textContent = over
        ? `${length.toLocaleString()} characters: a scene holds at most ${MAX_SCRIPT_CHARS.toLocaleString()}. Split it into two scenes (⧉ duplicates this one).`
        : `${wordsOf(scene.script)} words · about ${App.formatSeconds(secondsOf(scene))}`;
    };
    script.addEventListener("input", () => { scene.script = script.value; updateCount(); changed(); });
    updateCount();

    const avatar = select(AVATARS, scene.avatar || DATA.defaults.avatar, { "data-field": `${path}.avatar`, disabled: !canEdit || scene.layout === "voiceover" });
    avatar.addEventListener("change", () => { scene.avatar = avatar.value; changed(); });
    const voice = select(VOICES, scene.voice || DATA.defaults.voice, { "data-field": `${path}.voice`, disabled: !canEdit });
    voice.addEventListener("change", () => { scene.voice = voice.value; changed(); });
    const play = h("button", { type: "button", class: "secondary play", "aria-label": `Play a sample of scene ${n}'s voice`, text: "▶ Listen" });
    play.addEventListener("click", () => App.playVoice(voice.value, play));
    const layout = select(LAYOUTS, scene.layout || (scene.media?.length ? "corner" : "presenter"), { "data-field": `${path}.layout`, disabled: !canEdit });
    const layoutNote = h("p", { class: "help muted", id: nextId("layout-help"), text: layoutHelp(layout.value) });
    layout.setAttribute("aria-describedby", layoutNote.id);
    layout.addEventListener("change", () => {
      scene.layout = layout.value;
      layoutNote.textContent = layoutHelp(layout.value);
      avatar.disabled = !canEdit || layout.value === "voiceover";
      changed();
    });

    const tools = canEdit ? h("div", { class: "scene-tools" },
      h("button", { type: "button", class: "icon", "aria-label": `Move scene ${n} up`, title: "Move up", disabled: index === 0, onclick: () => move(index, -1), text: "↑" }),
      h("button", { type: "button", class: "icon", "aria-label": `Move scene ${n} down`, title: "Move down", disabled: index === last, onclick: () => move(index, 1), text: "↓" }),
      h("button", { type: "button", class: "icon", "aria-label": `Duplicate scene ${n}`, title: "Duplicate", onclick: () => duplicate(index), text: "⧉" }),
      h("button", { type: "button", class: "icon danger", "aria-label": `Remove scene ${n}`, title: "Remove", disabled: scenes().length === 1, onclick: () => remove(index), text: "✕" })) : null;

    return h("article", { class: "scene card", "aria-labelledby": headingId },
      h("header", { class: "scene-head" }, h("h3", { id: headingId, text: `Scene ${n}` }), tools),
      field(`Script for scene ${n}`, script), count,
      h("div", { class: "scene-grid" },
        field("Presenter", avatar),
        h("div", { class: "field voice-field" }, h("label", { for: (voice.id = nextId("voice")), text: "Voice" }), h("div", { class: "with-button" }, voice, play)),
        h("div", { class: "field" }, h("label", { for: (layout.id = nextId("layout")), text: "Layout" }), layout, layoutNote)),
      h("details", { class: "scene-more", open: !isLink || null },
        h("summary", { text: "Background, images and text on screen" }),
        h("div", { class: "scene-grid" }, backgroundControl(scene, path), mediaControl(scene, path, n)),
        overlaysControl(scene, path, n)));
  }

  function backgroundControl(scene, path) {
    const bg = scene.background || {};
    const kind = select(BACKGROUNDS, bg.type || "", { "data-field": `${path}.background`, disabled: !canEdit });
    const extra = h("div", { class: "bg-extra" });
    const draw = () => {
      extra.replaceChildren();
      const b = scene.background;
      if (!b) return;
      if (b.type === "color") {
        const c = h("input", { type: "color", value: b.color || "#1e3a8a", disabled: !canEdit });
        c.addEventListener("input", () => { b.color = c.value; changed(); });
        extra.append(field("Colour", c));
      } else if (b.type === "gradient") {
        b.colors = b.colors || ["#1e3a8a", "#0f172a"];
        b.colors.forEach((col, i) => {
          const c = h("input", { type: "color", value: col, disabled: !canEdit });
          c.addEventListener("input", () => { b.colors[i] = c.value; changed(); });
          extra.append(field(i ? "To" : "From", c));
        });
      } else if (b.type === "image") {
        const options = [{ value: "", label: "Choose an image…" }, ...allImages().map((i, k) => ({ value: i.asset, label: i.name || `Image ${k + 1}` }))];
        const s = select(options, b.src || "", { disabled: !canEdit });
        s.addEventListener("change", () => { b.src = s.value; changed(); });
        extra.append(field("Image", s));
      }
    };
    kind.addEventListener("change", () => {
      const defaults = { color: { color: "#1e3a8a" }, gradient: { colors: ["#1e3a8a", "#0f172a"], angle: 120 }, image: { src: "" }, presenter_blur: {} };
      scene.background = kind.value ? { type: kind.value, ...defaults[kind.value] } : undefined;
      if (!kind.value) delete scene.background;
      draw();
      changed();
    });
    draw();
    return h("div", {}, field("Background", kind), extra);
  }

  function allImages() {
    const seen = new Set();
    return [...draft.images.map((i, k) => ({ ...i, name: `Product image ${k + 1}` })), ...pool]
      .filter((i) => (seen.has(i.asset) ? false : seen.add(i.asset)));
  }

  function mediaControl(scene, path, n) {
    const wrap = h("div", { class: "field media-field", "data-field": `${path}.media`, tabindex: "-1" });
    const draw = () => {
      const items = scene.media || [];
      const list = h("ul", { class: "media-list", "aria-label": `Images in scene ${n}` });
      items.forEach((m, i) => {
        const id = mediaId(m);
        list.append(h("li", {},
          h("img", { src: imageUrl(id) || "", alt: `Image ${i + 1} of scene ${n}` }),
          canEdit ? h("button", { type: "button", class: "icon remove", "aria-label": `Remove image ${i + 1} from scene ${n}`, text: "✕",
            onclick: () => { scene.media.splice(i, 1); if (!scene.media.length) delete scene.media; draw(); changed(); } }) : null));
      });
      const choices = allImages().filter((i) => !items.some((m) => mediaId(m) === i.asset));
      const add = select([{ value: "", label: "Add an image…" }, ...choices.map((i, k) => ({ value: i.asset, label: i.name || `Image ${k + 1}` }))], "", { disabled: !canEdit || items.length >= 8, "aria-label": `Add an image to scene ${n}` });
      add.addEventListener("change", () => {
        if (!add.value) return;
        scene.media = [...(scene.media || []), add.value];
        if (!scene.layout || scene.layout === "presenter") scene.layout = "corner";
        changed();
        renderScenes();
      });
      const upload = canEdit ? uploadControl(`Upload an image for scene ${n}`, (asset) => {
        scene.media = [...(scene.media || []), asset.id];
        if (!scene.layout || scene.layout === "presenter") scene.layout = "corner";
        changed();
        renderScenes();
      }, true) : null;
      wrap.replaceChildren(h("span", { class: "label", text: "Images" }),
        items.length ? list : h("p", { class: "muted", text: "No images: the presenter fills the frame." }), add, upload);
    };
    draw();
    return wrap;
  }

  function overlaysControl(scene, path, n) {
    const wrap = h("fieldset", { class: "overlays" }, h("legend", { text: "Text on screen" }));
    const body = h("div");
    const draw = () => {
      body.replaceChildren();
      (scene.overlays || []).forEach((o, i) => body.append(overlayRow(scene, o, i, `${path}.overlays.${i}`, n, draw)));
      if (canEdit && (scene.overlays || []).length < 8) {
        body.append(h("button", { type: "button", class: "secondary small", text: "+ Add text",
          onclick: () => { scene.overlays = [...(scene.overlays || []), { type: "title", text: "" }]; draw(); changed(); } }));
      }
      if (!(scene.overlays || []).length && !canEdit) body.append(h("p", { class: "muted", text: "None" }));
    };
    draw();
    wrap.append(body);
    return wrap;
  }

  function overlayRow(scene, o, i, path, n, redraw) {
    const type = select(OVERLAYS, o.type, { disabled: !canEdit, "aria-label": `Kind of text ${i + 1} in scene ${n}` });
    type.addEventListener("change", () => {
      const fresh = { title: { text: "" }, bullets: { items: [""] }, price: { price: "" }, cta: { text: "Shop now" } };
      scene.overlays[i] = { type: type.value, ...fresh[type.value] };
      redraw();
      changed();
    });
    const input = (key, label, value, attrs = {}) => {
      const el = h("input", { type: "text", value: value ?? "", "data-field": `${path}.${key}`, disabled: !canEdit, "aria-label": `${label} (scene ${n}, text ${i + 1})`, placeholder: label, ...attrs });
      el.addEventListener("input", () => { if (el.value) o[key] = el.value; else delete o[key]; changed(); });
      return el;
    };
    let fields;
    if (o.type === "bullets") {
      const area = h("textarea", { rows: 3, "data-field": `${path}.items`, disabled: !canEdit, "aria-label": `Bullet points, one per line (scene ${n})`, placeholder: "One point per line" });
      area.value = (o.items || []).join("\n");
      area.addEventListener("input", () => { o.items = area.value.split("\n").map((s) => s.trim()).filter(Boolean).slice(0, 6); changed(); });
      fields = [area];
    } else if (o.type === "price") {
      fields = [input("price", "Price", o.price, { required: true }), input("old_price", "Old price", o.old_price), input("label", "Label", o.label)];
    } else if (o.type === "title") {
      fields = [input("text", "Title", o.text), input("subtitle", "Subtitle", o.subtitle)];
    } else {
      fields = [input("text", "Button text", o.text)];
    }
    const remove = canEdit ? h("button", { type: "button", class: "icon danger", "aria-label": `Remove text ${i + 1} from scene ${n}`, text: "✕",
      onclick: () => { scene.overlays.splice(i, 1); if (!scene.overlays.length) delete scene.overlays; redraw(); changed(); } }) : null;
    return h("div", { class: "overlay-row" }, type, ...fields, remove);
  }

  function move(index, by) {
    const list = scenes();
    const [scene] = list.splice(index, 1);
    list.splice(index + by, 0, scene);
    changed();
    renderScenes();
    document.querySelectorAll(".scene")[index + by]?.querySelector(".scene-tools button")?.focus();
  }
  function duplicate(index) {
    scenes().splice(index + 1, 0, JSON.parse(JSON.stringify(scenes()[index])));
    changed();
    renderScenes();
  }
  function remove(index) {
    if (wordsOf(scenes()[index].script) > 3 && !confirm(`Remove scene ${index + 1}?`)) return;
    scenes().splice(index, 1);
    changed();
    renderScenes();
  }
  function addScene() {
    const first = firstScene();
    scenes().push({ script: "", avatar: first.avatar || DATA.defaults.avatar, voice: first.voice || DATA.defaults.voice, layout: "presenter" });
    changed();
    renderScenes();
    const cards = document.querySelectorAll(".scene textarea");
    cards[cards.length - 1]?.focus();
  }

  function renderScenes() {
    const list = document.getElementById("scene-list");
    list.replaceChildren(...scenes().map(sceneCard));
    const total = scenes().reduce((sum, s) => sum + secondsOf(s), 0);
    document.getElementById("scene-total").textContent = `${scenes().length} scene${scenes().length === 1 ? "" : "s"} · about ${App.formatSeconds(total)}`;
  }

  // --- Look: presenter, voice, format, music, captions ---------------------------
  function lookSection(step) {
    const first = firstScene();
    const avatar = select(AVATARS, first.avatar || DATA.defaults.avatar, { disabled: !canEdit });
    avatar.addEventListener("change", () => { scenes().forEach((s) => { s.avatar = avatar.value; }); changed(); renderScenes(); });
    const voice = select(VOICES, first.voice || DATA.defaults.voice, { disabled: !canEdit });
    voice.addEventListener("change", () => { scenes().forEach((s) => { s.voice = voice.value; }); changed(); renderScenes(); });
    const play = h("button", { type: "button", class: "secondary play", "aria-label": "Play a sample of this voice", text: "▶ Listen" });
    play.addEventListener("click", () => App.playVoice(voice.value, play));
    const layouts = [{ value: "", label: "Keep each scene's layout" }, ...LAYOUTS];
    const layout = select(layouts, "", { disabled: !canEdit });
    layout.addEventListener("change", () => { if (layout.value) { scenes().forEach((s) => { s.layout = layout.value; }); changed(); renderScenes(); } });

    const aspects = h("fieldset", { class: "aspects" }, h("legend", { text: "Format" }));
    for (const [value, label] of [["9:16", "9:16 vertical"], ["1:1", "1:1 square"], ["16:9", "16:9 landscape"]]) {
      const id = nextId("aspect");
      const radio = h("input", { type: "radio", name: "aspect", id, value, checked: (req.aspect || "16:9") === value, disabled: !canEdit });
      radio.addEventListener("change", () => { req.aspect = value; changed(); });
      aspects.append(h("label", { for: id, class: `aspect aspect-${value.replace(":", "x")}` }, radio, h("span", { class: "shape", "aria-hidden": "true" }), label));
    }
    const resolution = select([{ value: "720p", label: "720p (HD)" }, { value: "1080p", label: "1080p (Full HD)" }], req.resolution || "720p", { "data-field": "resolution", disabled: !canEdit });
    resolution.addEventListener("change", () => { req.resolution = resolution.value; changed(); });
    const musicValue = typeof req.music === "string" ? req.music : req.music?.track || "";
    const music = select(MUSIC, musicValue, { "data-field": "music", disabled: !canEdit });
    music.addEventListener("change", () => { req.music = music.value || false; changed(); });
    const captionValue = req.captions === false || req.captions?.enabled === false ? "off" : req.captions?.style || "social";
    const captions = select([{ value: "social", label: "Bold social captions" }, { value: "subtitle", label: "Subtitles" }, { value: "off", label: "No burned-in captions (SRT/VTT files still made)" }], captionValue, { "data-field": "captions", disabled: !canEdit });
    captions.addEventListener("change", () => { req.captions = captions.value === "off" ? { enabled: false } : { enabled: true, style: captions.value }; changed(); });

    return h("section", { id: "look", class: "card step", "aria-labelledby": "look-h" },
      h("h2", { id: "look-h" }, step ? h("span", { class: "step-no", text: step }) : null, isLink ? "Look" : "Video settings"),
      h("div", { class: "scene-grid" },
        field(isLink ? "Presenter" : "Presenter for every scene", avatar),
        h("div", { class: "field voice-field" }, h("label", { for: (voice.id = nextId("voice")), text: isLink ? "Voice" : "Voice for every scene" }), h("div", { class: "with-button" }, voice, play)),
        field("Layout for every scene", layout)),
      aspects,
      h("div", { class: "scene-grid" }, field("Resolution", resolution), field("Music", music), field("Captions", captions)));
  }

  function costSection(step) {
    const button = h("button", { type: "button", class: "big", id: "render", disabled: !canEdit, text: "Render video" });
    button.addEventListener("click", () => renderVideo(button));
    return h("section", { id: "cost", class: "card step", "aria-labelledby": "cost-h" },
      h("h2", { id: "cost-h" }, step ? h("span", { class: "step-no", text: step }) : null, "Cost and render"),
      h("div", { id: "estimate", "aria-live": "polite" }, h("p", { class: "muted", text: "Working out the cost…" })),
      canEdit ? button : h("p", { class: "muted", text: "Viewers cannot render videos." }));
  }

  // --- Uploads --------------------------------------------------------------------
  function uploadControl(labelText, onDone, compact = false) {
    const input = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", multiple: !compact, id: nextId("upload") });
    const status = h("span", { class: "muted", "aria-live": "polite" });
    input.addEventListener("change", async () => {
      for (const file of input.files) {
        status.textContent = `Uploading ${file.name}…`;
        const form = new FormData();
        form.append("file", file);
        form.append("kind", "image");
        try {
          const asset = await App.api("POST", DATA.urls.assets, form, { form: true });
          const item = { asset: asset.id, url: asset.url || asset.file_url, name: file.name };
          pool.push(item);
          onDone({ id: asset.id, url: item.url });
          status.textContent = `${file.name} added.`;
        } catch (error) {
          status.textContent = "";
          App.showError(new App.ApiError(error.status, { message: `${file.name}: ${error.message}` }), input.parentElement);
        }
      }
      input.value = "";
    });
    return h("div", { class: `upload ${compact ? "compact" : ""}` }, h("label", { for: input.id, class: "button secondary small", text: labelText }), input, status);
  }

  async function loadPool() {
    try {
      const page = await App.api("GET", `${DATA.urls.assets}?kind=image`);
      pool = (page.results || []).filter((a) => a.kind === "image" || a.kind === "logo")
        .map((a) => ({ asset: a.id, url: a.url || a.file_url, name: a.original_name || a.name }));
    } catch (e) {
      pool = [];
    }
  }

  // --- The page -------------------------------------------------------------------
  function rerender() {
    const parts = [];
    if (isLink) {
      parts.push(productSection());
      parts.push(h("section", { id: "script", class: "card step", "aria-labelledby": "script-h" },
        h("h2", { id: "script-h" }, h("span", { class: "step-no", text: "3" }), "Script"),
        h("p", { class: "muted", text: "Edit any scene's words, or regenerate the whole script with another tone or length." }),
        scriptControls(),
        h("p", { id: "scene-total", class: "muted" }),
        h("div", { id: "scene-list" }),
        canEdit ? h("button", { type: "button", class: "secondary", text: "+ Add scene", onclick: addScene }) : null));
      parts.push(lookSection("4"));
      parts.push(costSection("5"));
    } else {
      parts.push(h("section", { id: "scenes", "aria-labelledby": "scenes-h" },
        h("div", { class: "section-head" }, h("h2", { id: "scenes-h", text: "Scenes" }), h("span", { id: "scene-total", class: "muted" })),
        h("div", { id: "scene-list" }),
        canEdit ? h("button", { type: "button", class: "secondary", text: "+ Add scene", onclick: addScene }) : null));
      parts.push(lookSection());
      parts.push(costSection());
    }
    root.replaceChildren(...parts);
    renderScenes();
    root.setAttribute("aria-busy", "false");
  }

  document.getElementById("draft-title").addEventListener("input", changed);
  document.getElementById("save-draft")?.addEventListener("click", async () => { dirty = true; await save(); });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });

  loadPool().then(() => { rerender(); estimate(); });
  rerender();
})();
