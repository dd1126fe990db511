// A link draft whose product page a worker is reading: ask the API for the draft
// until it is no longer "reading", then load the page again (the editor, or the
// reason it failed with the link form). Polls quickly at first, then less often.
(() => {
  "use strict";
  const box = document.getElementById("reading");
  if (!box) return;
  const url = box.dataset.pollUrl;
  let delay = 500;
  const poll = async () => {
    try {
      const answer = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (answer.ok) {
        const draft = await answer.json();
        if (draft.status !== "reading") {
          window.location.reload();
          return;
        }
      } else if (answer.status === 404) {
        window.location.reload(); // deleted meanwhile: the page says so
        return;
      }
    } catch (error) {
      // the network blinked: keep asking
    }
    delay = Math.min(delay * 1.3, 3000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
})();
