// The admin page was refused: say so when a token was given, and forget a stored one that no longer works.
(() => {
  'use strict';
  if (new URLSearchParams(location.search).has('token') || document.cookie.includes('parley_admin=')) {
    document.getElementById('login-message').hidden = false;
  }
  document.cookie = 'parley_admin=; path=/admin; max-age=0; samesite=strict';
  history.replaceState(null, '', '/admin');
})();
