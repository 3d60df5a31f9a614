// Zooming the day timeline by hand: drag across it (mouse or finger) to zoom into that stretch, pinch with two
// fingers to zoom around them. The browser does the gesture and tells .NET the new window as fractions of the
// current one, so the bars and graphs are drawn once, on the server, at the new scale.

const dragThreshold = 8;

export function attach(root, dotnet) {
  const pointers = new Map();
  const band = document.createElement('div');
  band.className = 'timeline-band';
  band.hidden = true;
  root.appendChild(band);
  let start = null;
  let pinch = null;
  let swallowClick = false;

  const area = () => (root.querySelector('.timeline-svg') ?? root).getBoundingClientRect();
  const fraction = x => {
    const box = area();
    return Math.min(Math.max((x - box.left) / box.width, 0), 1);
  };

  const showBand = (a, b) => {
    const box = area();
    const rootBox = root.getBoundingClientRect();
    const left = Math.min(a, b), right = Math.max(a, b);
    band.style.left = `${Math.max(left, box.left) - rootBox.left}px`;
    band.style.width = `${Math.min(right, box.right) - Math.max(left, box.left)}px`;
    band.hidden = false;
  };

  const down = e => {
    if (e.button !== undefined && e.button > 0) return;
    pointers.set(e.pointerId, e.clientX);
    if (pointers.size === 1) {
      start = e.clientX;
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.max(Math.abs(a - b), 1), centre: fraction((a + b) / 2), scale: 1 };
      start = null;
      band.hidden = true;
    }
  };

  const move = e => {
    if (!pointers.has(e.pointerId)) return;
    pointers.set(e.pointerId, e.clientX);
    if (pinch && pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch.scale = Math.max(Math.abs(a - b), 1) / pinch.distance;
    } else if (start !== null && Math.abs(e.clientX - start) >= dragThreshold) {
      try { root.setPointerCapture(e.pointerId); } catch { /* a pointer the browser no longer tracks */ }
      showBand(start, e.clientX);
    }
  };

  const up = e => {
    if (!pointers.has(e.pointerId)) return;
    const x = pointers.get(e.pointerId);
    pointers.delete(e.pointerId);
    if (pinch) {
      if (pointers.size === 0) {
        const half = 0.5 / pinch.scale;
        if (Math.abs(pinch.scale - 1) > 0.05) dotnet.invokeMethodAsync('Zoom', pinch.centre - half, pinch.centre + half);
        pinch = null;
        swallowClick = true;
      }
      return;
    }
    if (start !== null && Math.abs(x - start) >= dragThreshold) {
      const a = fraction(start), b = fraction(x);
      dotnet.invokeMethodAsync('Zoom', Math.min(a, b), Math.max(a, b));
      swallowClick = true;
    }
    start = null;
    band.hidden = true;
  };

  // A drag that zoomed must not also follow the bar it ended on.
  const click = e => {
    if (swallowClick) {
      e.preventDefault();
      e.stopPropagation();
      swallowClick = false;
    }
  };
  const noNativeDrag = e => e.preventDefault();

  const listeners = [
    ['pointerdown', down], ['pointermove', move], ['pointerup', up], ['pointercancel', up],
    ['click', click, true], ['dragstart', noNativeDrag],
  ];
  listeners.forEach(([type, handler, capture]) => root.addEventListener(type, handler, capture));

  return {
    dispose() {
      listeners.forEach(([type, handler, capture]) => root.removeEventListener(type, handler, capture));
      band.remove();
    },
  };
}
