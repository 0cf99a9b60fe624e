/* Google's encoded polyline format, as written by geo/maps/codec.py (lat first, 1e-4 degrees). */
(function (root) {
  "use strict";
  function decode(text, factor) {
    var points = [], index = 0, lat = 0, lng = 0, scale = factor || 10000;
    function next() {
      var result = 0, shift = 0, byte;
      do {
        byte = text.charCodeAt(index++) - 63;
        result |= (byte & 31) << shift;
        shift += 5;
      } while (byte >= 32);
      return (result & 1) ? ~(result >> 1) : (result >> 1);
    }
    while (index < text.length) {
      lat += next();
      lng += next();
      points.push([lat / scale, lng / scale]);
    }
    return points;
  }
  root.atlasPolyline = {decode: decode};
  if (typeof module !== "undefined" && module.exports) { module.exports = root.atlasPolyline; }  // Node's tests
})(typeof window !== "undefined" ? window : globalThis);
