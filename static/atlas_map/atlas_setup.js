/* Read by Leaflet when it loads, so this file comes first (geo/core/web_assets.py: MAP_SCRIPTS).
 * Without 3D transforms Leaflet places markers and clusters with left/top instead of giving each one a
 * compositing layer of its own: with 10,000 sites a filter change takes about a third less of the
 * browser's time (painting and layering the clusters' icons), measured in a trace of the main thread.
 * Zooms then change without animation. */
window.L_DISABLE_3D = true;
