// Placing pins on a site map in edit mode. The browser moves the pin under the finger or mouse while it is dragged
// and tells .NET only where it was dropped, as fractions of the plan (0..1), so a drag costs one round trip and the
// spot means the same on a phone and on a desktop. Arrow keys nudge the focused pin (Shift: five times as far), and a
// tap on the plan itself tells .NET where, for tap-to-place on phones.

const dragThreshold = 4;
const step = 0.01;

export function attach(root, dotnet) {
  let drag = null;
  let swallowClick = false;

  const editing = () => root.classList.contains('editing');
  const fraction = (clientX, clientY) => {
    const box = root.getBoundingClientRect();
    const clamp = v => Math.min(Math.max(v, 0), 1);
    return { x: clamp((clientX - box.left) / box.width), y: clamp((clientY - box.top) / box.height) };
  };
  const place = (pin, at) => {
    pin.style.left = `${at.x * 100}%`;
    pin.style.top = `${at.y * 100}%`;
  };
  const round = v => Math.round(v * 10000) / 10000;

  const down = e => {
    const pin = e.target.closest('.map-pin');
    if (!pin || !editing() || (e.button !== undefined && e.button > 0)) return;
    drag = { pin, id: e.pointerId, startX: e.clientX, startY: e.clientY, moved: false };
    pin.setPointerCapture(e.pointerId);
    // No page scroll or text selection while a finger drags a pin.
    e.preventDefault();
  };

  const move = e => {
    if (!drag || e.pointerId !== drag.id) return;
    if (!drag.moved && Math.hypot(e.clientX - drag.startX, e.clientY - drag.startY) < dragThreshold) return;
    drag.moved = true;
    drag.pin.classList.add('dragging');
    place(drag.pin, fraction(e.clientX, e.clientY));
  };

  const up = e => {
    if (!drag || e.pointerId !== drag.id) return;
    const { pin, moved } = drag;
    drag = null;
    pin.classList.remove('dragging');
    if (!moved) return;
    // The click that follows a drag is not a tap on the pin; when the browser sends none, the next tap still counts.
    swallowClick = true;
    setTimeout(() => { swallowClick = false; }, 0);
    const at = fraction(e.clientX, e.clientY);
    dotnet.invokeMethodAsync('PinDropped', pin.dataset.pin, round(at.x), round(at.y));
  };

  const cancel = e => {
    if (!drag || e.pointerId !== drag.id) return;
    place(drag.pin, { x: Number(drag.pin.dataset.x), y: Number(drag.pin.dataset.y) });
    drag.pin.classList.remove('dragging');
    drag = null;
  };

  const click = e => {
    if (swallowClick) {
      swallowClick = false;
      e.stopPropagation();
      e.preventDefault();
      return;
    }

    if (editing() && !e.target.closest('.map-pin') && !e.target.closest('.map-card')) {
      const at = fraction(e.clientX, e.clientY);
      dotnet.invokeMethodAsync('PlanTapped', round(at.x), round(at.y));
    }
  };

  const key = e => {
    const pin = e.target.closest('.map-pin');
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!pin || !editing() || !(e.key in moves)) return;
    e.preventDefault();
    const [dx, dy] = moves[e.key];
    const factor = e.shiftKey ? 5 : 1;
    const clamp = v => Math.min(Math.max(v, 0), 1);
    const at = { x: round(clamp(Number(pin.dataset.x) + dx * step * factor)), y: round(clamp(Number(pin.dataset.y) + dy * step * factor)) };
    place(pin, at);
    pin.dataset.x = at.x;
    pin.dataset.y = at.y;
    dotnet.invokeMethodAsync('PinDropped', pin.dataset.pin, at.x, at.y);
  };

  root.addEventListener('pointerdown', down);
  root.addEventListener('pointermove', move);
  root.addEventListener('pointerup', up);
  root.addEventListener('pointercancel', cancel);
  root.addEventListener('click', click, true);
  root.addEventListener('keydown', key);
  return {
    dispose() {
      root.removeEventListener('pointerdown', down);
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', up);
      root.removeEventListener('pointercancel', cancel);
      root.removeEventListener('click', click, true);
      root.removeEventListener('keydown', key);
    },
  };
}
