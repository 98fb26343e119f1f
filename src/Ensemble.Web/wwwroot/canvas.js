// The alert canvas: each alert type is a button placed by urgency (bottom to top) and advice sensitivity
// (left to right). Drag one with the mouse or a finger, or focus it and use the arrow keys (Shift for
// fine steps); where it lands is saved at once. Without JavaScript the page's forms move types by number.
(() => {
    const plane = document.getElementById("canvas-plane");
    if (!plane) {
        return;
    }

    const token = document.querySelector("#canvas-token input[name=__RequestVerificationToken]")?.value ?? "";
    const status = document.getElementById("canvas-status");
    const clamp = (value) => Math.max(0, Math.min(100, Math.round(value)));

    const place = (bubble, urgency, sensitivity) => {
        bubble.dataset.urgency = String(urgency);
        bubble.dataset.sensitivity = String(sensitivity);
        bubble.style.left = `${sensitivity}%`;
        bubble.style.bottom = `${urgency}%`;
    };

    // The page's security policy forbids inline style attributes, so bubbles are placed from their data here.
    plane.querySelectorAll(".alert-type").forEach((bubble) =>
        place(bubble, Number(bubble.dataset.urgency), Number(bubble.dataset.sensitivity)));
    plane.classList.add("placed");

    // Each save and each move by the user carries a number. An answer is applied only if nothing happened to its
    // type since the save began: otherwise it would put back a place the user has already moved away from.
    let sequence = 0;
    const moved = (bubble) => {
        bubble.dataset.saving = String(++sequence);
    };
    const save = async (bubble) => {
        const mine = ++sequence;
        bubble.dataset.saving = String(mine);
        const body = new FormData();
        body.append("type", bubble.dataset.type);
        body.append("urgency", bubble.dataset.urgency);
        body.append("sensitivity", bubble.dataset.sensitivity);
        body.append("__RequestVerificationToken", token);
        bubble.setAttribute("aria-busy", "true");
        try {
            const response = await fetch(plane.dataset.saveUrl, {
                method: "POST",
                body,
                headers: { "X-Requested-With": "fetch" },
                credentials: "same-origin",
            });
            const answer = await response.json().catch(() => ({}));
            if (!response.ok) {
                throw new Error(answer.detail ?? `The server answered ${response.status}.`);
            }

            if (bubble.dataset.saving !== String(mine)) {
                return;
            }

            place(bubble, answer.urgency, answer.sensitivity);
            bubble.dataset.quadrant = answer.quadrant;
            bubble.setAttribute("aria-label", answer.label);
            if (status) {
                status.textContent = answer.message;
            }
        } catch (error) {
            if (status) {
                status.textContent = `Not saved: ${error.message}`;
            }
        } finally {
            bubble.removeAttribute("aria-busy");
        }
    };

    plane.addEventListener("pointerdown", (event) => {
        const bubble = event.target.closest(".alert-type");
        if (!bubble || event.button !== 0) {
            return;
        }

        event.preventDefault();
        bubble.setPointerCapture(event.pointerId);
        bubble.classList.add("dragging");
        let dragged = false;
        const move = (e) => {
            const box = plane.getBoundingClientRect();
            const sensitivity = clamp(((e.clientX - box.left) / box.width) * 100);
            const urgency = clamp(((box.bottom - e.clientY) / box.height) * 100);
            place(bubble, urgency, sensitivity);
            moved(bubble);
            dragged = true;
        };
        const end = () => {
            bubble.removeEventListener("pointermove", move);
            bubble.removeEventListener("pointerup", end);
            bubble.removeEventListener("pointercancel", end);
            bubble.classList.remove("dragging");
            if (dragged) {
                save(bubble);
            }
        };
        bubble.addEventListener("pointermove", move);
        bubble.addEventListener("pointerup", end);
        bubble.addEventListener("pointercancel", end);
    });

    plane.addEventListener("keydown", (event) => {
        const bubble = event.target.closest(".alert-type");
        const steps = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1] };
        if (!bubble || !(event.key in steps)) {
            return;
        }

        event.preventDefault();
        const step = event.shiftKey ? 1 : 5;
        const [du, ds] = steps[event.key];
        place(bubble, clamp(Number(bubble.dataset.urgency) + du * step), clamp(Number(bubble.dataset.sensitivity) + ds * step));
        moved(bubble);
        // Held or repeated keys save once, where the type comes to rest.
        clearTimeout(bubble.saveTimer);
        bubble.saveTimer = setTimeout(() => save(bubble), 250);
    });
})();
