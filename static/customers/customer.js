// Comfort on the customer pages; everything works without it. Its words come from Django's
// JavaScript catalogue (gettext), loaded before it.
// "Copy summary": shows the button (hidden without JavaScript), copies the summary's text and
// says so: the button reads "Copied" for a moment, and the live region next to it tells screen
// readers.
"use strict";

const COPIED_FOR_MS = 2000;

document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-copy-target]")) {
        const source = document.getElementById(button.dataset.copyTarget);
        const status = button.parentElement.querySelector(".copy-status");
        if (!source) {
            continue;
        }
        const label = button.textContent;
        let restore = null;
        const say = (message) => {
            if (status) {
                status.textContent = message;
            }
        };
        button.hidden = false;
        // "Include revealed contact details" switches the summary Copy takes.
        const withRevealed = document.getElementById(button.dataset.copyTarget + "-revealed");
        const include = document.querySelector("[data-summary-switch]");
        const chosen = () => (include && include.checked && withRevealed ? withRevealed : source);
        button.addEventListener("click", async () => {
            clearTimeout(restore);
            const text = chosen();
            try {
                await navigator.clipboard.writeText(text.value);
                button.textContent = gettext("Copied");
                say(gettext("Summary copied to the clipboard."));
                restore = setTimeout(() => {
                    button.textContent = label;
                    say("");
                }, COPIED_FOR_MS);
            } catch {
                // Clipboard access can be refused (insecure origin, permissions): select the
                // text so Ctrl+C does the rest.
                text.focus();
                text.select();
                say(gettext("Press Ctrl+C to copy."));
            }
        });
    }
});

// A jump link to a folded program (#program-7) opens it.
const openTarget = () => {
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (target instanceof HTMLDetailsElement) {
        target.open = true;
    }
};
window.addEventListener("hashchange", openTarget);
document.addEventListener("DOMContentLoaded", openTarget);

// Reveal reloads the page: it comes back scrolled to where the agent was, not to the top. On a
// phone the tab bar is one row that scrolls sideways: the current tab is brought into it.
const REVEAL_SCROLL = "customer-lookup:reveal-scroll";
document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.matches(".reveal-form")) {
        try {
            sessionStorage.setItem(
                REVEAL_SCROLL,
                JSON.stringify({ path: location.pathname, y: window.scrollY }),
            );
        } catch {
            // storage refused: the page opens at the top, as without JavaScript
        }
    }
});
document.addEventListener("DOMContentLoaded", () => {
    const current = document.querySelector(".customer-tabs [aria-current=page]");
    const bar = current && current.closest("ul");
    if (bar && bar.scrollWidth > bar.clientWidth) {
        bar.scrollLeft = current.offsetLeft - bar.offsetLeft - 24;
    }
    let kept = null;
    try {
        kept = JSON.parse(sessionStorage.getItem(REVEAL_SCROLL) || "null");
        sessionStorage.removeItem(REVEAL_SCROLL);
    } catch {
        kept = null;
    }
    if (kept && kept.path === location.pathname && Number.isFinite(kept.y)) {
        window.scrollTo(0, kept.y);
    }
});
