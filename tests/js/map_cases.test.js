// The pure parts of the map's browser code (static/atlas_map/: the filter, the search folding, the
// polyline decoder) on the shared cases of tests/cases/map_cases.json, which Python is held to as well
// (tests/test_map_cases.py). Run with Node's own test runner: `node --test tests/js`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");

const root = path.resolve(__dirname, "..", "..");
const atlasData = require(path.join(root, "static", "atlas_map", "atlas_data.js"));
const atlasPolyline = require(path.join(root, "static", "atlas_map", "polyline.js"));
const cases = JSON.parse(fs.readFileSync(path.join(root, "tests", "cases", "map_cases.json"), "utf8"));

const data = atlasData.prepareSites(cases.payload);

for (const filterCase of cases.filters) {
  test(`filter: ${filterCase.name}`, () => {
    const passes = atlasData.compileFilter(filterCase.spec, data);
    const chosen = [];
    for (let index = 0; index < data.count; index++) {
      if (passes(index)) { chosen.push(data.values.site_id[index]); }
    }
    assert.deepEqual(chosen.sort(), filterCase.expected);
  });
}

for (const [text, folded] of cases.folding) {
  test(`search folding: ${JSON.stringify(text)}`, () => {
    assert.equal(atlasData.foldForSearch(text), folded);
  });
}

test("a typed search keeps at most 100 characters, white space collapsed", () => {
  assert.equal(atlasData.normalizeQuery("  Görlitz \t Zittau  "), "Görlitz Zittau");
  assert.equal(Array.from(atlasData.normalizeQuery("ä".repeat(150))).length, atlasData.MAX_QUERY_CHARS);
});

for (const line of cases.polylines) {
  test(`polyline: ${line.encoded}`, () => {
    // encoded from (lon, lat) points by geo/maps/codec.py; decoded to (lat, lon), as Leaflet takes them
    const expected = line.points.map(([lon, lat]) => [lat, lon]);
    const points = atlasPolyline.decode(line.encoded);
    assert.equal(points.length, expected.length);
    points.forEach((point, index) => {
      assert.ok(Math.abs(point[0] - expected[index][0]) < 1e-9 && Math.abs(point[1] - expected[index][1]) < 1e-9,
                `${point} != ${expected[index]}`);
    });
  });
}
