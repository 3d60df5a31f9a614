// The clip player's controls, in the browser so stepping and scrubbing need no round trip to the server:
// frame steps of 1/fps, scrubbing by dragging the bar or the motion graph, the mouse wheel steps frames,
// playback speed, a playhead on the motion graph that follows the video, and the start, stop and end of a
// "play all" sequence.

export function attach(root, options) {
  const video = root.querySelector('video');
  const scrub = root.querySelector('[data-role=scrub]');
  const time = root.querySelector('[data-role=time]');
  const graph = root.querySelector('[data-role=graph]');
  const playhead = root.querySelector('[data-role=playhead]');
  const speed = root.querySelector('[data-role=speed]');
  const play = root.querySelector('[data-role=play]');
  const boxes = root.querySelector('[data-role=boxes]');
  const frame = 1 / (options.fps > 0 ? options.fps : 15);
  const listeners = [];
  let animation = 0;

  const on = (target, type, handler, extra) => {
    if (!target) return;
    target.addEventListener(type, handler, extra);
    listeners.push(() => target.removeEventListener(type, handler, extra));
  };

  const clamp = t => Math.min(Math.max(t, 0), Number.isFinite(video.duration) ? video.duration : t);

  const step = frames => {
    video.pause();
    video.currentTime = clamp(video.currentTime + frames * frame);
  };

  const format = t => {
    const minutes = Math.floor(t / 60);
    return `${String(minutes).padStart(2, '0')}:${(t - minutes * 60).toFixed(2).padStart(5, '0')}`;
  };

  // The graph spans [graphFrom, graphTo] (ms); the clip starts at clipStart (ms) on that axis.
  const graphX = t => (options.clipStart + t * 1000 - options.graphFrom) / Math.max(1, options.graphTo - options.graphFrom) * options.graphWidth;
  const timeAtGraph = clientX => {
    const box = graph.getBoundingClientRect();
    const at = options.graphFrom + (clientX - box.left) / box.width * (options.graphTo - options.graphFrom);
    return clamp((at - options.clipStart) / 1000);
  };

  const render = () => {
    const t = video.currentTime;
    if (time) time.textContent = `${format(t)} / ${format(Number.isFinite(video.duration) ? video.duration : 0)}`;
    if (scrub && document.activeElement !== scrub) {
      scrub.max = Number.isFinite(video.duration) ? video.duration : 0;
      scrub.value = t;
    }
    if (playhead) {
      const x = graphX(t).toFixed(1);
      playhead.setAttribute('x1', x);
      playhead.setAttribute('x2', x);
    }
    if (play) play.textContent = video.paused ? 'play_arrow' : 'pause';
  };

  const loop = () => {
    render();
    animation = video.paused ? 0 : requestAnimationFrame(loop);
  };

  on(video, 'timeupdate', render);
  on(video, 'seeked', render);
  on(video, 'loadedmetadata', render);

  // Detection boxes are fractions of the picture: the overlay takes the video's own size, so it letterboxes as the
  // video does inside its 16:9 box.
  const fitBoxes = () => {
    if (!boxes || !video.videoWidth) return;
    boxes.setAttribute('viewBox', `0 0 ${video.videoWidth} ${video.videoHeight}`);
    const inner = boxes.querySelector('[data-role=boxes-frame]');
    inner.setAttribute('width', video.videoWidth);
    inner.setAttribute('height', video.videoHeight);
  };
  on(video, 'loadedmetadata', fitBoxes);
  fitBoxes();
  on(video, 'pause', render);
  on(video, 'play', () => { if (!animation) animation = requestAnimationFrame(loop); });
  on(scrub, 'input', () => { video.pause(); video.currentTime = clamp(Number(scrub.value)); });
  on(speed, 'change', () => { video.playbackRate = Number(speed.value); });
  on(play, 'click', () => (video.paused ? video.play() : video.pause()));
  on(root.querySelector('[data-role=back]'), 'click', () => step(-1));
  on(root.querySelector('[data-role=forward]'), 'click', () => step(1));

  // The wheel steps frames over the video and the graph: down is forward.
  const wheel = e => { e.preventDefault(); step(e.deltaY > 0 ? 1 : -1); };
  on(video, 'wheel', wheel, { passive: false });
  on(graph, 'wheel', wheel, { passive: false });

  // Dragging on the graph scrubs.
  let dragging = false;
  on(graph, 'pointerdown', e => { dragging = true; graph.setPointerCapture(e.pointerId); video.pause(); video.currentTime = timeAtGraph(e.clientX); });
  on(graph, 'pointermove', e => { if (dragging) video.currentTime = timeAtGraph(e.clientX); });
  on(graph, 'pointerup', () => { dragging = false; });

  // The keys work as soon as the page opens: listened for on the document, since the player itself has the keyboard
  // only after a click. Typing in a field is left alone, and so is space on a focused button (it presses the button).
  on(document, 'keydown', e => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target instanceof Element ? e.target : null;
    if (target && (target.isContentEditable || target.closest('input, textarea, select'))) return;
    if (e.key === ',' || e.key === 'ArrowLeft') { e.preventDefault(); step(-1); }
    else if (e.key === '.' || e.key === 'ArrowRight') { e.preventDefault(); step(1); }
    else if (e.key === ' ' && !(target && target.closest('button, a'))) { e.preventDefault(); video.paused ? video.play() : video.pause(); }
  });

  // A "play all" sequence: start at the event (startAt), stop after it (stopAt) or at the clip's end, and say so once.
  const stopAt = typeof options.stopAt === 'number' ? options.stopAt : null;
  let finished = false;
  const finish = () => {
    if (finished || !options.ended) return;
    finished = true;
    options.ended.invokeMethodAsync('EndedAsync').catch(() => {});
  };
  on(video, 'ended', finish);
  on(video, 'timeupdate', () => {
    if (stopAt !== null && !video.paused && video.currentTime >= stopAt) { video.pause(); finish(); }
  });
  const begin = () => {
    if (options.startAt > 0) video.currentTime = clamp(options.startAt);
    if (options.autoplay) video.play().catch(() => {});
  };
  if (video.readyState >= 1) begin(); else on(video, 'loadedmetadata', begin, { once: true });

  render();
  return {
    dispose() {
      cancelAnimationFrame(animation);
      listeners.forEach(remove => remove());
    },
  };
}
