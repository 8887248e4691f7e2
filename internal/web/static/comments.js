// kiosque — the comment form, enhanced. The form works without this
// script. With it, the form's signed stamp is renewed when the reader
// starts writing: the page may come from a cache an hour old, and the
// spam defences measure the time between the stamp and the post.
"use strict";
(function () {
  const form = document.querySelector("form.comment-form[data-stamp-url]");
  if (!form) {
    return;
  }
  let renewed = false;
  form.addEventListener("focusin", () => {
    if (renewed) {
      return;
    }
    renewed = true;
    fetch(form.dataset.stampUrl, { credentials: "same-origin", cache: "no-store" })
      .then((r) => (r.ok ? r.text() : ""))
      .then((stamp) => {
        if (stamp) {
          form.elements.stamp.value = stamp.trim();
        }
      })
      .catch(() => {}); // the page's stamp still serves
  });
})();
