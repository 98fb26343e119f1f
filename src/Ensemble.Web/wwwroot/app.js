// Progressive enhancement: forms marked data-inplace post in the background and swap in the refreshed
// fragment the server returns, so completing a task shows the next one without a reload. Without
// JavaScript the same forms post normally and the page redirects back.
document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inplace")) {
        return;
    }

    event.preventDefault();
    const region = form.closest("[aria-live]");
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    try {
        const response = await fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { "X-Requested-With": "fetch" },
            credentials: "same-origin",
        });
        if (!response.ok) {
            throw new Error(`The server answered ${response.status}.`);
        }

        const html = await response.text();
        if (region) {
            region.outerHTML = html;
            const fresh = document.getElementById(region.id);
            fresh?.querySelector("[role=status]")?.focus?.();
        }
    } catch (error) {
        buttons.forEach((b) => (b.disabled = false));
        alert(`That did not work: ${error.message} Reload the page and try again.`);
    }
});
