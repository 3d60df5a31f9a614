// Live view: reads the server's frame stream (/media/live/{node}/{camera}) and plays its fragmented MP4 segments
// through Media Source Extensions in "sequence" mode, so each standalone segment follows the last whatever its own
// timestamps. Shows the latency: the wall time of the frame on screen (capture time on the node, moved to the server's
// clock by the server) against now, with the browser's clock set against the server's from the frames' send times.

const HEADER = 29;

export function start(root, url) {
  const video = root.querySelector('video');
  const latency = root.querySelector('[data-role=latency]');
  const status = root.querySelector('[data-role=status]');
  const abort = new AbortController();
  const placed = []; // { at: timeline seconds, captured: ms on the server clock, duration: s }
  let offset = Infinity; // browser clock minus server clock, smallest seen (the least delayed frame)
  let source = null;
  let buffer = null;
  const queue = [];
  let timer = 0;

  const say = text => { if (status) status.textContent = text; };

  const pump = () => {
    if (!buffer || buffer.updating || queue.length === 0) return;
    const item = queue.shift();
    placed.push({ at: buffer.timestampOffset, captured: item.captured, duration: item.duration / 1000 });
    if (placed.length > 60) placed.shift();
    buffer.appendBuffer(item.data);
  };

  const trim = () => {
    // Keep about half a minute behind the playhead; the rest is gone for good anyway.
    if (buffer && !buffer.updating && video.currentTime > 40) {
      try { buffer.remove(0, video.currentTime - 30); } catch { /* removed next time */ }
    }
  };

  const open = codec => {
    source = new MediaSource();
    video.src = URL.createObjectURL(source);
    source.addEventListener('sourceopen', () => {
      buffer = source.addSourceBuffer(`video/mp4; codecs="${codec}"`);
      buffer.mode = 'sequence';
      buffer.addEventListener('updateend', () => { pump(); trim(); });
      pump();
    }, { once: true });
  };

  const segment = (data, captured, duration) => {
    if (!source) open(codecOf(data));
    queue.push({ data, captured, duration });
    if (queue.length > 8) queue.splice(0, queue.length - 8);
    pump();
  };

  const measure = () => {
    if (video.buffered.length > 0) {
      const end = video.buffered.end(video.buffered.length - 1);
      // Stay at the live edge: a browser tab in the background falls behind.
      if (end - video.currentTime > 3) video.currentTime = end - 0.5;
      if (video.paused) video.play().catch(() => {});
    }
    const t = video.currentTime;
    const shown = [...placed].reverse().find(p => p.at <= t);
    if (shown && Number.isFinite(offset) && video.readyState >= 2) {
      const capturedNow = shown.captured + (t - shown.at) * 1000;
      const ms = Date.now() - offset - capturedNow;
      latency.textContent = `${(ms / 1000).toFixed(1)} s`;
      latency.dataset.ms = String(Math.round(ms));
    }
  };

  const read = async () => {
    const response = await fetch(url, { signal: abort.signal, cache: 'no-store' });
    if (!response.ok) { say(`The server refused the stream (${response.status}).`); return; }
    const reader = response.body.getReader();
    let pending = new Uint8Array(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { say('The stream ended.'); return; }
      pending = concat(pending, value);
      while (pending.length >= HEADER) {
        const view = new DataView(pending.buffer, pending.byteOffset, HEADER);
        const length = view.getUint32(1);
        if (pending.length < HEADER + length) break;
        const type = view.getUint8(0);
        const captured = view.getFloat64(5);
        const sent = view.getFloat64(13);
        const duration = view.getFloat64(21);
        const payload = pending.slice(HEADER, HEADER + length);
        pending = pending.slice(HEADER + length);
        offset = Math.min(offset, Date.now() - sent);
        if (type === 1) { say(''); segment(payload, captured, duration); }
        else if (type === 3) say(new TextDecoder().decode(payload));
      }
    }
  };

  say('Waiting for the camera…');
  timer = setInterval(measure, 250);
  read().catch(e => { if (e.name !== 'AbortError') say(`Live view failed: ${e.message}`); });

  return {
    stop() {
      clearInterval(timer);
      abort.abort();
      if (source && source.readyState === 'open') { try { source.endOfStream(); } catch { /* closing anyway */ } }
      video.removeAttribute('src');
      video.load();
    },
  };
}

function concat(a, b) {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

// The codec string from the segment's avcC box (profile, compatibility, level), e.g. avc1.64001f.
function codecOf(data) {
  for (let i = 4; i + 8 < data.length; i++) {
    if (data[i] === 0x61 && data[i + 1] === 0x76 && data[i + 2] === 0x63 && data[i + 3] === 0x43) {
      const hex = b => b.toString(16).padStart(2, '0');
      return `avc1.${hex(data[i + 5])}${hex(data[i + 6])}${hex(data[i + 7])}`;
    }
  }
  return 'avc1.42e01e';
}
