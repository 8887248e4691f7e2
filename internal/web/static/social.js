// kiosque — the social messages' live preview. The pages work without
// this script (their « Prévisualiser » button asks the server); it asks
// the same server for the same preview as the message is typed.
"use strict";
(function () {
  const byId = (id) => (id ? document.getElementById(id) : null);

  // Each .social-preview box names its source textarea, its network, and
  // where the article and a Mastodon instance's own limit come from.
  document.querySelectorAll(".social-preview[data-url]").forEach((box) => {
    const d = box.dataset;
    const source = byId(d.source);
    if (!source) return;
    const article = byId(d.articleFrom);
    const maxChars = byId(d.maxCharsFrom);
    const part = (name) => box.querySelector('[data-part="' + name + '"]');
    let timer = 0;
    let seq = 0;

    const refresh = () => {
      const n = ++seq;
      const body = new URLSearchParams({
        network: d.network,
        template: source.value.trim() ? source.value : d.fallback || "",
        article: article ? article.value : d.article || "",
        max_chars: maxChars ? maxChars.value : d.maxChars || "",
      });
      fetch(d.url, {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
      }).then((r) => r.json()).then((p) => {
        if (n !== seq) return;
        // A refusal of the back office itself is {"error": {"message"}}.
        if (p.error && p.error.message) p.error = p.error.message;
        for (const name of ["text", "label", "note", "error"]) {
          const el = part(name);
          if (el) el.textContent = p[name] || "";
        }
      }).catch(() => {});
    };
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    };
    source.addEventListener("input", later);
    if (article) article.addEventListener("change", refresh);
    if (maxChars) maxChars.addEventListener("input", later);
  });
})();
