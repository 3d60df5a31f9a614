// Light, dark or the system's choice: the choice lives in a cookie so the server renders the right stylesheet
// (no flash of the wrong theme, and Blazor's page updates keep it); switching applies at once, without a reload.
window.cctvTheme = {
  cookie: 'cctvedge-theme',
  modes: ['system', 'dark', 'light'],
  get() {
    const match = document.cookie.match(/(?:^|; )cctvedge-theme=(system|dark|light)/);
    return match ? match[1] : 'system';
  },
  set(mode) {
    if (!this.modes.includes(mode)) mode = 'system';
    document.cookie = `${this.cookie}=${mode}; path=/; max-age=31536000; samesite=lax`;
    const media = this.media(mode);
    document.querySelectorAll('link[data-theme]').forEach(link => { link.media = media[link.dataset.theme]; });
    document.documentElement.dataset.theme = mode;
    return mode;
  },
  // The media each stylesheet gets: both follow the system under "system", one is forced otherwise.
  media(mode) {
    return mode === 'dark' ? { light: 'not all', dark: 'all' }
      : mode === 'light' ? { light: 'all', dark: 'not all' }
      : { light: 'not all and (prefers-color-scheme: dark)', dark: '(prefers-color-scheme: dark)' };
  },
};
