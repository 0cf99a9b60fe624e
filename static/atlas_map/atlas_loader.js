/* The atlas map's entry in Streamlit's page (components v2; views/atlas_map.py passes this file as the
 * component's code). It starts fetching the map's data files at once, loads Leaflet, its plugins and the
 * map's own code and styles once per page (their URLs carry a version, so a browser keeps them), then
 * hands the component to atlasEngine.mountStreamlit, which creates the map or gives it new arguments.
 *
 * A page that will show a map (serve.py's load hints) imports this file as a module before the map arrives
 * and calls `prepare`: the same fetches and loads start while the server still runs the page's script, and
 * the component then finds them under way or done. */
export default function (component) {
  const data = component.data;
  fetchData([data.base_url, data.sites ? data.sites_url : null]);
  return loadEngine(data.assets).then(() => window.atlasEngine.mountStreamlit(component));
}

/* Before the map arrives: fetch `urls` (the data files the server named), load the engine, then read the
 * files, so that the map finds them parsed. A failure here is left to the map, which tries again and says
 * what failed. */
export function prepare(assets, urls) {
  fetchData(urls);
  loadEngine(assets).then(() => {
    for (const url of urls) { window.atlasData.fetchJson(url).catch(() => {}); }
  }, () => {});
}

function fetchData(urls) {
  const boot = window.atlasBoot = window.atlasBoot || {fetched: {}, inline: {}};
  boot.fetched = boot.fetched || {};
  boot.fetch = boot.fetch || ((url) => fetch(url, {credentials: "same-origin"}).then((response) => {
    if (!response.ok) { throw new Error(`${url}: HTTP ${response.status}`); }
    return response.arrayBuffer();
  }));
  for (const url of urls) {
    if (url && !boot.fetched[url]) {
      boot.fetched[url] = boot.fetch(url);
      boot.fetched[url].catch(() => {});  // reported by the map that reads it (atlas_data.js)
    }
  }
}

function loadEngine(assets) {
  window.atlasEngineLoaded = window.atlasEngineLoaded || loadAssets(assets);
  return window.atlasEngineLoaded;
}

/* Style sheets and scripts into the page's head, scripts run in their order; resolves when all arrived. */
function loadAssets(assets) {
  const arrived = (node) => new Promise((resolve, reject) => {
    node.addEventListener("load", resolve, {once: true});
    node.addEventListener("error", () => reject(new Error(`cannot load ${node.href || node.src}`)), {once: true});
  });
  const loads = [];
  for (const href of assets.styles) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    loads.push(arrived(link));
    document.head.appendChild(link);
  }
  for (const src of assets.scripts) {
    const script = document.createElement("script");
    script.src = src;
    script.async = false;  // dynamically inserted scripts run in insertion order only with async off
    loads.push(arrived(script));
    document.head.appendChild(script);
  }
  const all = Promise.all(loads);
  all.catch(() => { window.atlasEngineLoaded = null; });  // a later mount tries again
  return all;
}
