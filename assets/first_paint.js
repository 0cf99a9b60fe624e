/* The main area is held invisible until it stands where it will stay (serve.py puts this into the page's
 * <head>): Streamlit first paints its skeleton over the whole width, then moves everything right when the
 * sidebar arrives, a frame or more after the sidebar itself (a layout shift of about 0.2 on every page).
 * Released once the main area begins at or after the sidebar's right edge (or the sidebar is folded away,
 * on a phone) for two frames in a row. A page without the frame (no sidebar) releases it with its own
 * style sheet (views/frame.py: FRAMELESS_REVEAL). Never held longer than HOLD_AT_MOST_MS. */
(function () {
  "use strict";
  var HOLD_AT_MOST_MS = 30000, started = performance.now(), steady = 0;
  function laidOut() {
    var main = document.querySelector("[data-testid='stMain']");
    var sidebar = document.querySelector("[data-testid='stSidebar']");
    if (!main || !sidebar) { return false; }  // the page's first elements may come before the sidebar
    return main.getBoundingClientRect().left >= sidebar.getBoundingClientRect().right - 1;
  }
  function check() {
    steady = laidOut() ? steady + 1 : 0;
    if (steady >= 2 || performance.now() - started > HOLD_AT_MOST_MS) {
      document.documentElement.classList.add("sa-laid-out");
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
