// kiosque — back office enhancements. Every page works without this
// script; it adds autosave, the live preview, slug hints, drag-and-drop
// uploads (alt text asked first), confirmations, double-submit guards and
// the moderation queue's keyboard shortcuts.
// No framework, no build step.
"use strict";
(function () {
  document.documentElement.classList.add("js");

  const post = (url, body, accept) =>
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: accept ? { Accept: accept } : {},
    });

  const text = (el, key, fallback) => (el && el.dataset[key]) || fallback || "";

  // A form is sent once: a double click does not publish twice.
  document.addEventListener("submit", (e) => {
    const f = e.target;
    if (f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      e.preventDefault();
      return;
    }
    if (f.method.toLowerCase() === "post") {
      if (f.dataset.sending) {
        e.preventDefault();
        return;
      }
      f.dataset.sending = "1";
      window.setTimeout(() => delete f.dataset.sending, 8000);
    }
  });

  // Slug: show what the server will derive from the title.
  const slugify = (s) =>
    s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/['’]/g, "-")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120).replace(/-+$/, "");

  const editor = document.getElementById("editor");
  if (editor) enhanceEditor(editor);

  function enhanceEditor(form) {
    const title = form.querySelector("#title");
    const slug = form.querySelector("#slug");
    const excerpt = form.querySelector("#excerpt");
    const body = form.querySelector("#body");
    const version = form.querySelector('input[name="version"]');
    const preview = document.getElementById("preview");
    const state = document.getElementById("autosave-state");
    let dirty = false;
    let saving = false;
    let submitting = false;

    if (title && slug) {
      const hint = () => { slug.placeholder = slugify(title.value); };
      title.addEventListener("input", hint);
      hint();
    }

    // Live preview, rendered by the server exactly as the site renders it.
    let previewTimer = 0;
    let previewSeq = 0;
    const refreshPreview = () => {
      const seq = ++previewSeq;
      const data = new URLSearchParams({ body: body.value });
      post(preview.dataset.url, data).then((r) => (r.ok ? r.text() : null)).then((html) => {
        if (html !== null && seq === previewSeq) preview.innerHTML = html;
      }).catch(() => {});
    };
    if (body && preview) {
      body.addEventListener("input", () => {
        window.clearTimeout(previewTimer);
        previewTimer = window.setTimeout(refreshPreview, 300);
      });
      if (!preview.innerHTML.trim() && body.value.trim()) refreshPreview();
    }

    // Autosave: the text is kept every few seconds as this writer's
    // autosave revision, without touching the textarea (the cursor stays).
    // A new article is first saved as a draft to get an address.
    const say = (key, time) => {
      if (!state) return;
      const msg = text(state, key);
      state.textContent = time ? msg.replace("{time}", time) : msg;
    };
    const clock = () => new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
    const autosave = () => {
      if (!dirty || saving || submitting || !title.value.trim()) return;
      saving = true;
      dirty = false;
      let request;
      if (form.dataset.autosave) {
        request = post(form.dataset.autosave, new URLSearchParams({
          title: title.value, excerpt: excerpt ? excerpt.value : "", body: body.value,
        })).then((r) => { if (!r.ok) throw new Error(r.status); });
      } else {
        // URL-encoded, as the form itself posts.
        const data = new URLSearchParams(new FormData(form));
        data.set("intent", "save");
        request = post(form.action, data, "application/json").then((r) => {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then((a) => {
          form.action = a.url;
          form.dataset.autosave = a.url + "/autosave";
          if (version) version.value = a.version;
          window.history.replaceState(null, "", a.url);
        });
      }
      request.then(() => say("saved", clock())).catch(() => {
        dirty = true;
        say("failed");
      }).finally(() => { saving = false; });
    };
    form.addEventListener("input", () => { dirty = true; });
    window.setInterval(autosave, 5000);
    form.addEventListener("submit", () => { submitting = true; });
    window.addEventListener("beforeunload", (e) => {
      if (dirty && !submitting) e.preventDefault();
    });

    // Images go where the cursor was when they were dropped or picked:
    // the dialog asking for their description takes the focus meanwhile.
    const inserter = () => {
      const at = { start: body.selectionStart, end: body.selectionEnd };
      return (m) => { at.start = at.end = insertAt(body, at, m.markdown); };
    };
    if (body && body.dataset.drop) enhanceDrop(body, body.dataset.drop, inserter);
    const pick = document.getElementById("insert-image");
    if (pick && body && body.dataset.drop) {
      pick.hidden = false;
      pick.addEventListener("click", () => {
        const input = document.createElement("input");
        input.type = "file";
        input.accept = "image/jpeg,image/png,image/webp,image/gif";
        input.multiple = true;
        const done = inserter();
        input.addEventListener("change", () => uploadAll(input.files, body.dataset.drop, body, done));
        input.click();
      });
    }
  }

  // insertAt puts snippet at the range at of the textarea, on its own
  // paragraph, tells the preview and autosave, and returns the position
  // after it.
  function insertAt(ta, at, snippet) {
    const before = ta.value.slice(0, at.start);
    const pad = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    ta.setRangeText(pad + snippet + "\n\n", at.start, at.end, "end");
    ta.focus();
    ta.dispatchEvent(new Event("input", { bubbles: true }));
    return ta.selectionEnd;
  }

  // askAlt shows a small dialog asking for the picture's alternative text:
  // an image is never inserted without one.
  function askAlt(name, labels) {
    return new Promise((resolve) => {
      const d = document.createElement("dialog");
      const f = document.createElement("form");
      f.method = "dialog";
      const label = document.createElement("label");
      label.textContent = labels.alt + " (" + name + ")";
      const input = document.createElement("input");
      input.required = true;
      input.maxLength = 500;
      input.id = "alt-" + Date.now();
      label.htmlFor = input.id;
      const buttons = document.createElement("div");
      buttons.className = "buttons";
      const ok = document.createElement("button");
      ok.className = "primary";
      ok.value = "ok";
      ok.textContent = labels.insert;
      const cancel = document.createElement("button");
      cancel.value = "cancel";
      cancel.type = "button";
      cancel.textContent = labels.cancel;
      cancel.addEventListener("click", () => d.close("cancel"));
      buttons.append(ok, cancel);
      f.append(label, input, buttons);
      d.append(f);
      document.body.append(d);
      d.addEventListener("close", () => {
        const alt = d.returnValue === "ok" ? input.value.trim() : "";
        d.remove();
        resolve(alt);
      });
      d.showModal();
    });
  }

  async function uploadAll(files, url, labelled, done) {
    const labels = {
      alt: text(labelled, "msgAlt", "Alt"), insert: text(labelled, "msgInsert", "OK"),
      cancel: text(labelled, "msgCancel", "Cancel"), uploading: text(labelled, "msgUploading", "…"),
    };
    const state = document.getElementById("autosave-state") || document.getElementById("upload-state");
    for (const file of files) {
      const alt = await askAlt(file.name, labels);
      if (!alt) continue;
      const data = new FormData();
      data.append("file", file);
      data.append("alt", alt);
      if (state) state.textContent = labels.uploading;
      try {
        const r = await post(url, data, "application/json");
        const m = await r.json();
        if (!r.ok) throw new Error(m.message || r.status);
        if (state) state.textContent = "";
        done(m);
      } catch (err) {
        if (state) state.textContent = err.message;
        else window.alert(err.message);
      }
    }
  }

  // enhanceDrop uploads the files dropped on zone; start is called at the
  // drop and returns what to do with each uploaded image.
  function enhanceDrop(zone, url, start) {
    zone.addEventListener("dragover", (e) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) {
        e.preventDefault();
        zone.classList.add("dragover");
      }
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragover"));
    zone.addEventListener("drop", (e) => {
      zone.classList.remove("dragover");
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      uploadAll(e.dataTransfer.files, url, zone, start());
    });
  }

  // The media library's drop zone uploads and reloads the list.
  const zone = document.querySelector(".dropzone[data-upload]");
  if (zone) enhanceDrop(zone, zone.dataset.upload, () => () => window.location.reload());

  // The moderation queue's keyboard shortcuts, as WordPress's.
  const queue = document.querySelector("table.comments[data-shortcuts]");
  if (queue) enhanceQueue(queue);

  // enhanceQueue lets j and k move between the comments, and a, u, s, t,
  // r, e and x act on the current one: each presses the row's own button,
  // link or box, so a key does nothing a click could not. ? shows the list.
  function enhanceQueue(table) {
    const rows = [...table.querySelectorAll("tbody tr")];
    const keys = {
      a: 'button[value="approve"]', u: 'button[value="hold"]', s: 'button[value="spam"]',
      t: 'button[value="trash"]', e: "a.edit", x: 'input[type="checkbox"]',
    };
    let current = -1;
    const mark = (i) => {
      current = i;
      rows.forEach((row, n) => row.classList.toggle("current", n === i));
    };
    rows.forEach((row, i) => {
      row.tabIndex = -1;
      row.addEventListener("focusin", () => mark(i));
      for (const [key, selector] of Object.entries(keys)) {
        const el = row.querySelector(selector);
        if (el) el.setAttribute("aria-keyshortcuts", key);
      }
      const summary = row.querySelector("details.reply summary");
      if (summary) summary.setAttribute("aria-keyshortcuts", "r");
    });
    const toggle = document.getElementById("shortcuts-toggle");
    const help = document.getElementById("shortcuts");
    const showHelp = (open) => {
      help.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
    };
    if (toggle && help) {
      toggle.hidden = false;
      toggle.addEventListener("click", () => showHelp(help.hidden));
    }
    const typing = (el) => el.isContentEditable || el.matches("textarea, select") ||
      (el.matches("input") && !["checkbox", "radio", "button", "submit", "reset"].includes(el.type));

    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
      const row = rows[current];
      if (e.key === "?" && toggle && help) {
        showHelp(help.hidden);
      } else if (e.key === "j" || e.key === "k") {
        if (!rows.length) return;
        const next = current < 0 ? 0 : current + (e.key === "j" ? 1 : -1);
        rows[Math.max(0, Math.min(rows.length - 1, next))].focus();
      } else if (e.key === "r" && row) {
        const details = row.querySelector("details.reply");
        if (!details) return;
        details.open = true;
        details.querySelector("textarea").focus();
      } else if (keys[e.key] && row) {
        const el = row.querySelector(keys[e.key]);
        if (!el) return;
        el.click();
      } else {
        return;
      }
      e.preventDefault();
    });
  }

  // Copy buttons (media addresses, Markdown snippets).
  document.querySelectorAll("button[data-copy]").forEach((b) => {
    b.hidden = false;
    b.addEventListener("click", () => navigator.clipboard && navigator.clipboard.writeText(b.dataset.copy));
  });
})();
