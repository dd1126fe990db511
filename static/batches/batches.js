// The batches page: the "download a CSV to fill in" link follows the chosen template.
"use strict";

(() => {
  const select = document.getElementById("b-template");
  const link = document.getElementById("sample-link");
  if (!select || !link) return;
  const update = () => { link.href = `/templates/${encodeURIComponent(select.value)}/sample.csv`; };
  select.addEventListener("change", update);
  update();
})();
