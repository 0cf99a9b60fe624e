/* The main area is held invisible until it stands where it will stay (serve.py puts this into the page's
 * <head>): Streamlit first paints its skeleton over the whole width, then moves everything right when the
 * sidebar arrives, a frame or more after the sidebar itself (a layout shift of about 0.2 on every page).
 * And an element whose code Streamlit loads on first use (an HTML block, a toggle, a download button) is
 * drawn as an empty stand-in first, which React replaces up to 300 ms later, while the elements after it
 * already stand higher than they will (a shift of 0.2 to 0.5 on a phone).
 * Released once the main area begins at or after the sidebar's right edge (or the sidebar is folded away,
 * on a phone), the script's first run has drawn its elements and no stand-in is left, for two frames in a
 * row. A page without the frame (no sidebar) reveals its main area with its own style sheet
 * (views/frame.py: FRAMELESS_REVEAL), which counts as standing. The wait for the first run and its stand-ins
 * lasts at most RUN_AT_MOST_MS after its first element arrived (a slow run shows what it has by then); the
 * whole hold never longer than HOLD_AT_MOST_MS. */
(function () {
  "use strict";
  var HOLD_AT_MOST_MS = 30000, RUN_AT_MOST_MS = 1500, EMPTY_AT_MOST_MS = 4000;
  var started = performance.now(), arrived = 0, steady = 0;
  function stands() {
    var main = document.querySelector("[data-testid='stMain']");
    if (!main) { return false; }
    var sidebar = document.querySelector("[data-testid='stSidebar']");
    if (!sidebar) { return getComputedStyle(main.parentElement).visibility === "visible"; }
    return main.getBoundingClientRect().left >= sidebar.getBoundingClientRect().right - 1;
  }
  function firstRunDrawn() {
    var now = performance.now();
    if (!document.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']")) {
      return now - started > EMPTY_AT_MOST_MS;  // nothing to hold yet (a server still building its caches)
    }
    if (!arrived) { arrived = now; }
    // Streamlit's root says "notRunning" before the script has started too: the element tells them apart
    return now - arrived > RUN_AT_MOST_MS || (
      document.querySelector("[data-test-script-state='notRunning']") !== null &&
      document.querySelector("[data-testid='stMain'] [data-testid='stSkeleton']") === null);
  }
  function check() {
    steady = firstRunDrawn() && stands() ? steady + 1 : 0;  // the cheap test first: stands() measures
    if (steady >= 2 || performance.now() - started > HOLD_AT_MOST_MS) {
      document.documentElement.classList.add("sa-laid-out");
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
