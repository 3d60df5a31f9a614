// Live view: reads the server's frame stream (/media/live/{node}/{camera}) and plays its fragmented MP4 through Media
// Source Extensions in "sequence" mode, so each piece follows the last whatever its own timestamps. The node sends
// the segment being written fragment by fragment (about 200 ms each), each segment file starting with its own init
// segment; the player keeps its position near the buffered end (skipping ahead when far behind, playing slightly
// fast when a little behind) rather than buffering on purpose. Shows the latency: the wall time of the frame on
// screen (capture time on the node, moved to the server's clock by the server) against now, with the browser's clock
// set against the server's from the frames' send times. Without MSE (older phones) it shows the camera's Motion JPEG
// stream (/media/mjpeg/{node}/{camera}: a picture a second, pushed by the server as the node sends it) instead.

const HEADER = 29;

// How far behind the newest buffered frame playback may fall: beyond SKIP it jumps to near the edge (a tab in the
// background, a stall); beyond CATCH_UP it plays a little fast until close again. Seconds.
const SKIP = 0.5;
const CATCH_UP = 0.25;
const EDGE = 0.1;

export function start(root, url, mjpegUrl) {
  const video = root.querySelector('video');
  const MediaSourceType = window.MediaSource || window.ManagedMediaSource;
  if (!MediaSourceType) return mjpeg(root, video, mjpegUrl);
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
    // In sequence mode a piece lands at the end of what is buffered. (Not timestampOffset: it changes only when the
    // timestamps jump, as each new segment file starts again from 0, and only while the piece is appended.)
    const at = buffer.buffered.length > 0 ? buffer.buffered.end(buffer.buffered.length - 1) : 0;
    placed.push({ at, captured: item.captured, duration: item.duration / 1000 });
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
    source = new MediaSourceType();
    // Safari's ManagedMediaSource plays only with remote playback (AirPlay) off or given another source.
    if (!window.MediaSource) video.disableRemotePlayback = true;
    video.src = URL.createObjectURL(source);
    source.addEventListener('sourceopen', () => {
      buffer = source.addSourceBuffer(`video/mp4; codecs="${codec}"`);
      buffer.mode = 'sequence';
      buffer.addEventListener('updateend', () => { pump(); trim(); });
      pump();
    }, { once: true });
  };

  const segment = (data, captured, duration) => {
    // Fragments follow an init segment: a viewer that joins mid-segment (or lost pieces) waits for the next file's.
    if (!source && !isInit(data)) return;
    if (!source) open(codecOf(data));
    queue.push({ data, captured, duration });
    if (queue.length > 8) queue.splice(0, queue.length - 8);
    pump();
  };

  const measure = () => {
    if (video.buffered.length > 0) {
      const end = video.buffered.end(video.buffered.length - 1);
      const behind = end - video.currentTime;
      if (behind > SKIP) video.currentTime = end - EDGE;
      video.playbackRate = behind > CATCH_UP ? 1.1 : 1;
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
  timer = setInterval(measure, 100);
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

// Shows the camera's snapshot, reloaded every second, where the browser cannot play the stream.
function mjpeg(root, video, mjpegUrl) {
  const latency = root.querySelector('[data-role=latency]');
  const status = root.querySelector('[data-role=status]');
  const img = document.createElement('img');
  img.alt = 'live pictures';
  img.dataset.testid = 'live-mjpeg';
  video.replaceWith(img);
  if (status) status.textContent = 'This browser cannot play live video: showing a picture a second.';
  if (latency) latency.textContent = 'pictures';
  img.src = mjpegUrl;
  // Removing the source ends the request, so the server stops asking the node for pictures.
  return { stop() { img.removeAttribute('src'); img.src = ''; } };
}

function isInit(data) {
  return data.length >= 8 && String.fromCharCode(data[4], data[5], data[6], data[7]) === 'ftyp';
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
