// Drawing polygons (zones, masks) over a camera's snapshot. Like sitemap.js: the browser moves a corner under the
// finger or mouse while it is dragged and tells .NET only where it was dropped, as fractions of the picture (0..1), so a
// drag costs one round trip and the polygon means the same at any screen size. Taps on the picture while drawing add
// corners; a tap on a corner (without a drag) is reported too (closing a drawing on its first corner).

const dragThreshold = 4;

export function attach(root, dotnet) {
  let drag = null;
  let tap = null;
  let swallowClick = false;

  const fraction = (clientX, clientY) => {
    const box = root.getBoundingClientRect();
    const clamp = v => Math.min(Math.max(v, 0), 1);
    return { x: clamp((clientX - box.left) / box.width), y: clamp((clientY - box.top) / box.height) };
  };
  const round = v => Math.round(v * 10000) / 10000;
  const place = (handle, at) => {
    handle.style.left = `${at.x * 100}%`;
    handle.style.top = `${at.y * 100}%`;
    handle.dataset.dragX = at.x;
    handle.dataset.dragY = at.y;
  };

  // Redraws the dragged corner's outline from its handles, so the shape follows the finger before .NET hears of it.
  const redraw = polygon => {
    const shape = root.querySelector(`svg [data-polygon="${polygon}"]`);
    if (!shape) return;
    const handles = [...root.querySelectorAll(`.polygon-handle[data-polygon="${polygon}"]`)]
      .sort((a, b) => Number(a.dataset.point) - Number(b.dataset.point));
    shape.setAttribute('points', handles.map(h => `${h.dataset.dragX ?? h.dataset.x},${h.dataset.dragY ?? h.dataset.y}`).join(' '));
  };

  const down = e => {
    if (e.button !== undefined && e.button > 0) return;
    const handle = e.target.closest('.polygon-handle');
    if (!handle) {
      // A tap on the picture is a pointer that goes up where it went down; a finger that scrolls the page is cancelled.
      tap = root.classList.contains('drawing') ? { id: e.pointerId, startX: e.clientX, startY: e.clientY } : null;
      return;
    }

    drag = { handle, id: e.pointerId, startX: e.clientX, startY: e.clientY, moved: false };
    handle.setPointerCapture(e.pointerId);
    // No page scroll or text selection while a finger drags a corner.
    e.preventDefault();
  };

  const move = e => {
    if (!drag || e.pointerId !== drag.id) return;
    if (!drag.moved && Math.hypot(e.clientX - drag.startX, e.clientY - drag.startY) < dragThreshold) return;
    drag.moved = true;
    drag.handle.classList.add('dragging');
    place(drag.handle, fraction(e.clientX, e.clientY));
    redraw(drag.handle.dataset.polygon);
  };

  const up = e => {
    if (tap && e.pointerId === tap.id) {
      const near = Math.hypot(e.clientX - tap.startX, e.clientY - tap.startY) < dragThreshold * 2;
      tap = null;
      if (near && root.classList.contains('drawing')) {
        const at = fraction(e.clientX, e.clientY);
        dotnet.invokeMethodAsync('CanvasTapped', round(at.x), round(at.y));
      }
      return;
    }

    if (!drag || e.pointerId !== drag.id) return;
    const { handle, moved } = drag;
    drag = null;
    handle.classList.remove('dragging');
    delete handle.dataset.dragX;
    delete handle.dataset.dragY;
    // The click that follows a pointer-up on a corner is not a tap on the picture.
    swallowClick = true;
    setTimeout(() => { swallowClick = false; }, 0);
    const polygon = Number(handle.dataset.polygon);
    const point = Number(handle.dataset.point);
    if (!moved) {
      dotnet.invokeMethodAsync('HandleTapped', polygon, point);
      return;
    }

    const at = fraction(e.clientX, e.clientY);
    dotnet.invokeMethodAsync('PointMoved', polygon, point, round(at.x), round(at.y));
  };

  const cancel = e => {
    if (tap && e.pointerId === tap.id) tap = null;
    if (!drag || e.pointerId !== drag.id) return;
    const { handle } = drag;
    drag = null;
    handle.classList.remove('dragging');
    delete handle.dataset.dragX;
    delete handle.dataset.dragY;
    place(handle, { x: Number(handle.dataset.x), y: Number(handle.dataset.y) });
    delete handle.dataset.dragX;
    delete handle.dataset.dragY;
    redraw(handle.dataset.polygon);
  };

  // Taps are taken from the pointer events (a phone may hold back or drop the click of a quick second tap); the
  // click a corner's pointer-up brings is swallowed.
  const click = e => {
    if (swallowClick || e.target.closest('.polygon-handle')) {
      swallowClick = false;
      e.stopPropagation();
      e.preventDefault();
    }
  };

  root.addEventListener('pointerdown', down);
  root.addEventListener('pointermove', move);
  root.addEventListener('pointerup', up);
  root.addEventListener('pointercancel', cancel);
  root.addEventListener('click', click, true);
  return {
    dispose() {
      root.removeEventListener('pointerdown', down);
      root.removeEventListener('pointermove', move);
      root.removeEventListener('pointerup', up);
      root.removeEventListener('pointercancel', cancel);
      root.removeEventListener('click', click, true);
    },
  };
}
