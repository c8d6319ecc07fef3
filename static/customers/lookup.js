// Its words come from Django's JavaScript catalogue (gettext, interpolate), loaded before it.
// Comfort on top of pages that work without JavaScript: "/" jumps to the search, the search
// box previews what it understood as chips the agent can correct, the search form shows the
// account id only where it is needed, adds and removes identifier rows, and ticks every embed
// at once.
"use strict";

(function () {
  const MAX_ROWS = 5;

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    const field = document.querySelector("#search-form [name=q]");
    event.preventDefault();
    if (field) {
      field.focus();
      field.select();
    } else {
      const home = document.querySelector("#site-name a");
      window.location.href = home ? home.href : "/";
    }
  });


  // The search box's rules, as customers/lookup/detect.py states and applies them; the server reads
  // the box again itself, so this only previews. Keep the two in step.
  const LABELS = {
    mobile: "mobile", mob: "mobile", phone: "mobile", tel: "mobile", cell: "mobile",
    mobileno: "mobile", mobilenumber: "mobile", phoneno: "mobile", phonenumber: "mobile",
    email: "email", mail: "email", emailid: "email", emailaddress: "email",
    card: "cardnumber", cardno: "cardnumber", cardnumber: "cardnumber",
    externalid: "externalId", extid: "externalId", ext: "externalId", external: "externalId",
    wechat: "wechat", wechatid: "wechat"
  };
  const LABEL_FOR = {
    mobile: "mobile", email: "email", cardnumber: "card", externalId: "external id", wechat: "wechat"
  };
  // The names of the types, from the server's one table (customers/pages/glossary.py), which the
  // search form hands over as JSON: the chips say what the rest of the app says.
  function typeNames() {
    const data = document.getElementById("identifier-types");
    return data ? JSON.parse(data.textContent) : {};
  }
  const LABEL = /(?<![\w@.+-])(mobile[ _-]?(?:no|number)?|mob|phone[ _-]?(?:no|number)?|tel|cell|e-?mail[ _-]?(?:id|address)?|mail|card[ _-]?(?:no|number)?|external[ _-]?id|ext[ _-]?id|ext|external|wechat[ _-]?id|wechat)(?:\s*[.:=#]+\s*|\s+[-\u2013\u2014]+\s+|\s+)(?:(?:is|was)\b\s*[.:=#]*\s*)?(?=\S)/gi;
  const PHONE = /(?:\+|\b00)?\(?(?:\+|\b00)?\d[\d().\- ]*\d\)?/y;
  // What a word must hold to take a label's type.
  const FITS = { mobile: /\d/, cardnumber: /\d/, email: /@/ };

  // The position of a digit in its script's run of ten (Unicode assigns each 0 to 9 in order).
  function digitValue(char) {
    const point = char.codePointAt(0);
    let start = point;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) { start -= 1; }
    return (point - start) % 10;
  }

  // Invisible format characters (category Cf) dropped, digits of any script and
  // full-width forms as ASCII, any space (category Zs) as a space.
  function clean(text) {
    let kept = "";
    for (const char of text) {
      if (/\p{Cf}/u.test(char)) { continue; }
      if (/\p{Zs}/u.test(char)) { kept += " "; continue; }
      if (char >= "\uff01" && char <= "\uff5e") { kept += String.fromCharCode(char.charCodeAt(0) - 0xfee0); continue; }
      kept += /\p{Nd}/u.test(char) && !/[0-9]/.test(char) ? String(digitValue(char)) : char;
    }
    return kept;
  }
  const TRIM = "\"'“”‘’<>[](){}.:";

  function fold(label) { return label.replace(/[\s_-]/g, "").toLowerCase(); }

  function normalised(kind, raw) {
    let value = raw.trim();
    if (kind === "mobile") {
      value = value.replace(/[\s\-()./]/g, "");
      if (value.startsWith("+")) { value = value.slice(1); } else if (value.startsWith("00")) { value = value.slice(2); }
      return value;
    }
    if (kind === "email") { return value.toLowerCase(); }
    if (kind === "cardnumber" && /^\d+$/.test(value.replace(/[\s-]/g, ""))) { return value.replace(/[\s-]/g, ""); }
    return value;
  }

  function guess(raw) {
    const value = raw.trim();
    if (value.indexOf("@") >= 0) { return "email"; }
    if (/^\(?\+?[\d().\- ]+$/.test(value)) {
      const mobile = normalised("mobile", value);
      if (/^\d+$/.test(mobile) && mobile.length >= 8 && mobile.length <= 15) { return "mobile"; }
      if (/^\d+$/.test(mobile) && mobile.length >= 16 && mobile.length <= 19 && value.indexOf("+") < 0) { return "cardnumber"; }
      return "externalId";
    }
    if (/^[A-Za-z0-9]+$/.test(value) && value.length >= 8 && /\d/.test(value) && /[A-Za-z]/.test(value)) {
      return "cardnumber";
    }
    return "externalId";
  }

  function phoneSpan(text, start, end) {
    PHONE.lastIndex = start;
    const run = PHONE.exec(text.slice(0, end));
    if (!run) { return null; }
    const runEnd = start + run[0].length;
    if (runEnd < end && !/\s/.test(text[runEnd]) && text[runEnd] !== ")") { return null; }
    const groups = [];
    const digits = /\d+/g;
    let group;
    while ((group = digits.exec(run[0])) !== null) { groups.push([group[0].length, start + group.index + group[0].length]); }
    const total = groups.reduce(function (sum, g) { return sum + g[0]; }, 0);
    if (total >= 16 && total <= 19) { return [start, runEnd]; }
    let count = 0;
    let best = null;
    for (const g of groups) {
      count += g[0];
      if (count > 15) { break; }
      if (count >= 8) { best = g[1]; }
    }
    if (best === null) { return null; }
    if (best < runEnd && text[best] === ")") { best += 1; }
    return [start, best];
  }

  function trimmed(text, start, end) {
    while (start < end && (TRIM.indexOf(text[start]) >= 0 || /\s/.test(text[start]))) {
      if (text[start] === "(" && text.slice(start, end).indexOf(")") >= 0 && /\d/.test(text.slice(start, end))) { break; }
      start += 1;
    }
    while (end > start && (TRIM.indexOf(text[end - 1]) >= 0 || /\s/.test(text[end - 1]))) {
      if (text[end - 1] === ")" && text.slice(start, end).indexOf("(") >= 0 && /\d/.test(text.slice(start, end))) { break; }
      end -= 1;
    }
    return [start, end];
  }

  function values(text, start, end, labelKind, labelStart, items) {
    let position = start;
    let first = true;
    const word = /\S+/g;
    while (position < end) {
      word.lastIndex = position;
      const found = word.exec(text);
      if (!found || found.index >= end) { break; }
      const wordEnd = Math.min(found.index + found[0].length, end);
      const span = phoneSpan(text, found.index, end) || [found.index, wordEnd];
      const [rawStart, rawEnd] = trimmed(text, span[0], span[1]);
      position = span[1];
      if (rawStart >= rawEnd) { continue; }
      const raw = text.slice(rawStart, rawEnd);
      if (LABELS[fold(raw)] && /[:=]$/.test(text.slice(span[0], span[1]).trimEnd())) { continue; }
      const labelled = Boolean(labelKind) && first && (!FITS[labelKind] || FITS[labelKind].test(raw));
      first = false;
      const kind = labelled ? labelKind : guess(raw);
      items.push({ kind: kind, value: normalised(kind, raw), raw: raw, start: labelled ? labelStart : rawStart, end: rawEnd, labelled: labelled, ignored: false });
    }
  }

  // The org's country code and its mobiles' national lengths (detect.numbering), handed over
  // as JSON: a national number is completed with the code, as the server does (rule 3b).
  function numbering() {
    const data = document.getElementById("mobile-numbering");
    return data ? JSON.parse(data.textContent) : { countryCode: "", nationalDigits: [] };
  }

  function completed(item, org) {
    const code = org.countryCode;
    if (item.kind !== "mobile" || !code || !/^\d+$/.test(item.value)) { return item; }
    const lengths = org.nationalDigits || [];
    const digits = item.value;
    if (/^[\s(]*(\+|00)/.test(item.raw)) {
      const national = digits.startsWith(code) ? digits.slice(code.length) : "";
      item.problem = Boolean(national) && lengths.length > 0 && lengths.indexOf(national.length) < 0;
      return item;
    }
    let national;
    if (digits.startsWith("0")) {
      national = digits.replace(/^0+/, "");
    } else if (lengths.indexOf(digits.length) >= 0 &&
        !(digits.startsWith(code) && lengths.indexOf(digits.length - code.length) >= 0)) {
      national = digits;
    } else {
      return item;
    }
    if (lengths.length && lengths.indexOf(national.length) < 0) {
      item.problem = true;
      return item;
    }
    item.value = code + national;
    item.shown = "+" + code + " " + item.raw.replace(/^[\s(]*0*/, "").trim();
    return item;
  }

  // Every value as the chips show it, the ignored words marked; positions are in clean(text).
  function read(text) {
    text = clean(text.slice(0, 2000));
    const items = [];
    const separator = /[,;\u060C\u061B\uFF0C\uFF1B\u3001\n\r]+/g;
    const spans = [];
    let position = 0;
    let match;
    while ((match = separator.exec(text)) !== null) { spans.push([position, match.index]); position = separator.lastIndex; }
    spans.push([position, text.length]);
    spans.forEach(function (span) {
      const [start, end] = span;
      if (!text.slice(start, end).trim()) { return; }
      const chunk = text.slice(0, end);
      let at = start;
      let labelKind = "";
      let labelStart = start;
      let label;
      LABEL.lastIndex = start;
      while ((label = LABEL.exec(chunk)) !== null) {
        if (label.index > at) { values(text, at, label.index, labelKind, labelStart, items); }
        labelKind = LABELS[fold(label[1])];
        labelStart = label.index;
        at = LABEL.lastIndex;
      }
      values(text, at, end, labelKind, labelStart, items);
    });
    const org = numbering();
    items.forEach(function (item) { completed(item, org); });
    const seen = {};
    const unique = items.filter(function (item) {
      const key = item.kind + "\u0000" + item.value.toLowerCase();
      if (seen[key]) { return false; }
      seen[key] = true;
      return true;
    });
    // Letters alone are a name, which cannot be searched, when nothing else is there.
    if (!unique.some(function (item) { return ["mobile", "email", "cardnumber"].indexOf(item.kind) >= 0; })) {
      unique.forEach(function (item) {
        item.ignored = !item.labelled && item.kind === "externalId" && /^[\p{L}\p{M}]+$/u.test(item.raw);
      });
    }
    // Words around the identifiers: ignored when the text holds a mobile, email or card.
    if (unique.some(function (item) { return ["mobile", "email", "cardnumber"].indexOf(item.kind) >= 0; })) {
      unique.forEach(function (item, index) {
        if (item.labelled || item.kind !== "externalId") { return; }
        const previous = unique[index - 1];
        item.ignored = (!/\d/.test(item.raw) && item.raw.indexOf("@") < 0) ||
          (Boolean(previous) && previous.kind === "mobile" && /^x\d{1,6}$/i.test(item.raw));
      });
    }
    return unique;
  }

  function setUpBox(form) {
    const box = form.querySelector("[data-search-box]");
    const chips = form.querySelector("[data-chips]");
    if (!box || !chips) { return; }
    const names = typeNames();
    function render() {
      const items = read(box.value);
      chips.replaceChildren();
      if (!items.length) { return; }
      const label = document.createElement("span");
      label.className = "chips-label";
      label.textContent = gettext("Understood as:");
      const list = document.createElement("ul");
      list.className = "chips";
      const counts = {};
      items.forEach(function (item) {
        if (!item.ignored) { counts[item.kind] = (counts[item.kind] || 0) + 1; }
      });
      items.forEach(function (item, index) {
        const chip = document.createElement("li");
        const kind = item.ignored ? "ignored" : item.kind;
        chip.className = "chip chip-" + kind + (counts[kind] > 1 ? " chip-clash" : "");
        const select = document.createElement("select");
        select.setAttribute("aria-label", interpolate(gettext("Type of %(value)s"), { value: item.value }, true));
        select.dataset.chipType = String(index);
        if (item.ignored) { select.add(new Option(gettext("Ignored"), "ignored", true, true)); }
        Object.entries(names).forEach(function ([type, name]) {
          const option = new Option(name, type, type === kind, type === kind);
          select.add(option);
        });
        select.addEventListener("change", function () {
          if (select.value === "ignored") { return; }
          const text = clean(box.value.slice(0, 2000));
          box.value = text.slice(0, item.start) + LABEL_FOR[select.value] + ": " + item.raw + text.slice(item.end);
          render();
          const again = chips.querySelector("[data-chip-type='" + index + "']");
          if (again) { again.focus(); }
        });
        const value = document.createElement("span");
        value.className = "chip-value";
        value.textContent = item.shown || item.value;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "\u00d7";
        remove.setAttribute("aria-label", interpolate(gettext("Remove %(value)s"), { value: item.value }, true));
        remove.addEventListener("click", function () {
          const text = clean(box.value.slice(0, 2000));
          const after = text.slice(item.end).replace(/^[\s,;\u060C\u061B\uFF0C\uFF1B\u3001]+/, "");
          const before = text.slice(0, item.start).replace(/[\s,;\u060C\u061B\uFF0C\uFF1B\u3001]+$/, "");
          box.value = before && after ? before + ", " + after : before + after;
          render();
          box.focus();
        });
        chip.append(select, " ", value, " ", remove);
        list.appendChild(chip);
      });
      chips.append(label, list);
    }
    box.addEventListener("input", render);
    box.addEventListener("keydown", function (event) {
      // Enter searches, as in a one-line field; Shift+Enter starts a new line.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    render();
  }

  function setUpForm(form) {
    setUpBox(form);
    const source = form.querySelector("[name=source]");
    const accountRow = form.querySelector("[data-account-row]");
    function showAccount() {
      if (source && accountRow) {
        accountRow.hidden = source.value === "INSTORE";
      }
    }
    if (source) {
      source.addEventListener("change", showAccount);
    }
    showAccount();

    const list = form.querySelector("[data-identifier-rows]");
    const addButton = form.querySelector("[data-add-row]");
    let counter = list ? list.children.length : 0;
    function rows() {
      return Array.from(list.querySelectorAll("[data-identifier-row]"));
    }
    function refresh() {
      const current = rows();
      current.forEach(function (row) {
        row.querySelector("[data-remove-row]").hidden = current.length < 2;
      });
      addButton.hidden = current.length >= MAX_ROWS;
    }
    function wire(row) {
      row.querySelector("[data-remove-row]").addEventListener("click", function () {
        const next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        refresh();
        if (next) {
          next.querySelector("[name=identifierValue]").focus();
        }
      });
    }
    if (list && addButton) {
      // Without JavaScript spare rows are shown; with it they are added on demand.
      rows().slice(1).forEach(function (row) {
        const name = row.querySelector("[name=identifierName]").value;
        const value = row.querySelector("[name=identifierValue]").value;
        if (!name && !value.trim()) {
          row.remove();
        }
      });
      rows().forEach(wire);
      addButton.addEventListener("click", function () {
        const template = rows()[0];
        const row = template.cloneNode(true);
        counter += 1;
        row.querySelectorAll("[id]").forEach(function (element) {
          element.id = element.id.replace(/_\d+$/, "_" + counter);
        });
        row.querySelectorAll("label[for]").forEach(function (label) {
          label.htmlFor = label.htmlFor.replace(/_\d+$/, "_" + counter);
        });
        const used = rows().map(function (r) { return r.querySelector("[name=identifierName]").value; });
        const select = row.querySelector("[name=identifierName]");
        const free = Array.from(select.options).find(function (o) { return o.value && used.indexOf(o.value) < 0; });
        select.value = free ? free.value : "";
        const input = row.querySelector("[name=identifierValue]");
        input.value = "";
        input.removeAttribute("autofocus");
        input.removeAttribute("placeholder");
        input.removeAttribute("aria-invalid");
        list.appendChild(row);
        wire(row);
        refresh();
        input.focus();
      });
      refresh();
    }

    const all = form.querySelector("[data-embed-all]");
    const boxes = Array.from(form.querySelectorAll("[data-embed]"));
    if (all && boxes.length) {
      form.querySelector("[data-embed-all-row]").hidden = false;
      const sync = function () {
        all.checked = boxes.every(function (box) { return box.checked; });
        all.indeterminate = !all.checked && boxes.some(function (box) { return box.checked; });
      };
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
      boxes.forEach(function (box) { box.addEventListener("change", sync); });
      sync();
    }

    // The gaps need the tiers block: ask for it as soon as a number of days is typed.
    const mlp = form.querySelector("[data-embed][value=mlp]");
    form.querySelectorAll("[name=gapToUpgrade], [name=gapToRenew]").forEach(function (input) {
      input.addEventListener("input", function () {
        if (mlp && input.value !== "") {
          mlp.checked = true;
          mlp.dispatchEvent(new Event("change"));
        }
      });
    });
  }

  // A table wider than the screen scrolls inside itself (lookup.css): one that does now is a
  // tab stop, so the keyboard can scroll it too; one that fits again is not.
  function markScrollingTables() {
    document.querySelectorAll("#content table, .table-scroll").forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.dataset.scrollFocus = "";
      } else if (!scrolls && "scrollFocus" in box.dataset) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }

  window.addEventListener("resize", markScrollingTables);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#search-form").forEach(setUpForm);
    markScrollingTables();
  });
})();

// A search is never lost, nor sent twice. Pressing Search keeps the form's fields in this tab's
// sessionStorage (never in a URL); when the session had expired, signing in again comes back to
// /lookup/?confirm=1 with nothing in it, and the kept search is filled in and sent as it was
// typed, with the same boxes ticked. Any other page of the app forgets it. A second press of
// Search while the first is on its way sends nothing more.
(function () {
  const KEY = "customer-lookup:search-draft";
  const MAX_AGE_MS = 12 * 60 * 60 * 1000;

  function fields(form) {
    const kept = [];
    Array.from(form.elements).forEach(function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.disabled) {
        return;
      }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
        return;
      }
      kept.push([element.name, element.value]);
    });
    return kept;
  }

  function keep(form) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), fields: fields(form) }));
    } catch (error) { /* storage refused (private mode): nothing kept */ }
  }

  function take() {
    let draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (error) { return null; }
    return draft && Array.isArray(draft.fields) && Date.now() - draft.at < MAX_AGE_MS ? draft : null;
  }

  function fill(form, kept) {
    const byName = {};
    kept.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    const seen = {};
    Array.from(form.elements).forEach(function (element) {
      const name = element.name;
      if (!name || name === "csrfmiddlewaretoken") {
        return;
      }
      const values = byName[name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) >= 0;
      } else if (element.type !== "submit" && element.type !== "button") {
        const index = seen[name] || 0;
        seen[name] = index + 1;
        element.value = index < values.length ? values[index] : "";
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // Back from signing in after a search was interrupted: /lookup/?confirm=1 and nothing else.
  function backFromSignIn(form) {
    const params = new URLSearchParams(window.location.search);
    return window.location.pathname === form.getAttribute("action") &&
      params.get("confirm") === "1" &&
      Array.from(params.keys()).every(function (name) { return name === "confirm"; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("search-form");
    const draft = take();
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "true";
      form.setAttribute("aria-busy", "true");
      keep(form);
    });
    // Back to this page from the next one (the browser's page cache): Search works again.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });
    if (draft && backFromSignIn(form)) {
      fill(form, draft.fields);
      form.requestSubmit();
    }
  });
})();
