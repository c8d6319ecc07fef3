// Comfort on top of pages that work without JavaScript: "/" jumps to the search, the search
// form shows the account id only where it is needed, adds and removes identifier rows, and
// ticks every embed at once.
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
    const field = document.querySelector("#search-form [name=identifierValue]");
    event.preventDefault();
    if (field) {
      field.focus();
      field.select();
    } else {
      const home = document.querySelector("#site-name a");
      window.location.href = home ? home.href : "/";
    }
  });

  function setUpForm(form) {
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
