// Copy buttons: <button data-copy="ID" data-copy-status="ID2" hidden> copies the value of element ID and says
// so in ID2. The button stays hidden without JavaScript, where the read-only field can still be selected.
for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus ?? "");
    if (!source) {
        continue;
    }

    button.hidden = false;
    button.addEventListener("click", async () => {
        const text = "value" in source ? source.value : source.textContent;
        try {
            await navigator.clipboard.writeText(text);
            if (status) status.textContent = "Copied.";
        } catch {
            source.focus();
            source.select?.();
            if (status) status.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
        }
    });
}
