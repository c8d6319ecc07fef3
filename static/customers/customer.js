// Comfort on the customer pages; everything works without it.
// "Copy summary": shows the button (hidden without JavaScript) and copies the summary's text.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-copy-target]")) {
        const source = document.getElementById(button.dataset.copyTarget);
        const status = button.parentElement.querySelector(".copy-status");
        if (!source) {
            continue;
        }
        button.hidden = false;
        button.addEventListener("click", async () => {
            try {
                await navigator.clipboard.writeText(source.value);
                if (status) {
                    status.textContent = "Copied.";
                }
            } catch {
                // Clipboard access can be refused (insecure origin, permissions): select the
                // text so Ctrl+C does the rest.
                source.focus();
                source.select();
                if (status) {
                    status.textContent = "Press Ctrl+C to copy.";
                }
            }
        });
    }
});
