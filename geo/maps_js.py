"""The browser-side part of the map: Leaflet panes, layers drawn from data, clusters.

:class:`MapScript` draws, from one JSON configuration made by :mod:`geo.maps`, the
relief, water, labels, country fill and borders, province lines (click to
filter), province shading, the outlines of vague locations and the incidents.
Data given as a URL is fetched (once per page; the browser caches the static
files), data given inline is drawn at once.  Incidents are clustered with
supercluster (a spatial index, vendored like Leaflet): only the clusters and
points in view are drawn, again after each move or zoom; incidents at one spot
spread out (spiderfy) when their cluster is clicked.  In report mode every
incident is drawn individually and synchronously.

Folium element ids are read only at render time (``get_name()`` in the
templates), so a caller that renumbers the element tree gets a stable page.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement, Template

__all__ = ["Legend", "MapScript", "Panes", "ShapeLayer"]

_CSS = """
<style>
.leaflet-pane > svg { pointer-events: none; }
.leaflet-control-attribution { font-size: 9px !important; max-width: 70%; }
.leaflet-pane > svg path.leaflet-interactive { pointer-events: auto; }
.geo-label { pointer-events: none !important; }
.geo-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; font-family: sans-serif; }
.geo-label-country span { font-weight: bold; font-size: 15px; letter-spacing: 3px;
  text-transform: uppercase; color: #2b2b2b; }
.geo-label-province span { font-style: italic; font-size: 11px; color: #3b3b3b; }
.geo-label-town span { font-size: 11px; color: #111; transform: translate(-3px, -50%); }
.geo-label-town span:before { content: ''; display: inline-block; width: 5px; height: 5px;
  border-radius: 3px; background: #111; margin-right: 3px; vertical-align: middle; }
.geo-label-place span, .geo-ruler span { font-size: 11px; color: #222; font-style: italic; }
.geo-cluster { border-radius: 50%; cursor: pointer; box-shadow: 0 0 0 1.5px #fff,
  0 0 3px 1.5px rgba(0, 0, 0, .55); }
.geo-cluster span { position: absolute; inset: 0; border-radius: 50%; }
.geo-cluster div { position: absolute; inset: 4px; border-radius: 50%; text-align: center;
  background: rgba(33, 33, 33, .88); color: #fff; font: bold 11px sans-serif; }
</style>
"""

_MAP_JS = (
    """
{% macro header(this, kwargs) %}"""
    + _CSS
    + """{% endmacro %}
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var cfg = {{ this.config }};
  var G = {
    base: {{ this.groups['base'].get_name() }},
    provinces: {{ this.groups['provinces'].get_name() }},
    shading: {{ this.groups['shading'].get_name() }},
    areas: {{ this.groups['areas'].get_name() }},
    borders: {{ this.groups['borders'].get_name() }},
    points: {{ this.groups['points'].get_name() }}
  };
  window.__geoPending = (window.__geoPending || 0);
  function done() { window.__geoPending = Math.max(0, window.__geoPending - 1); }
  // The page makes a new map frame at each rerun; fetched data is kept by the page
  // around it (same origin), so a rerun neither downloads nor parses it again.
  var host = window;
  try { if (window.parent && window.parent.fetch) { host = window.parent; } } catch (e) { }
  var fetched = host.__geoData = host.__geoData || {};
  var wanted = [cfg.points, cfg.water, cfg.labels, cfg.countries, cfg.provinces, cfg.districts];
  Object.keys(fetched).forEach(function (url) {  // an older data version's files
    if (wanted.indexOf(url) < 0) { delete fetched[url]; }
  });
  // Data is a URL (fetched once per page and data version) or the value itself.
  function load(src, cb) {
    if (src === null || src === undefined) { return; }
    if (typeof src !== 'string') { cb(src); return; }
    window.__geoPending += 1;
    if (!fetched[src]) {
      fetched[src] = host.fetch(src).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.json();
      });
      fetched[src].catch(function () { delete fetched[src]; });
    }
    fetched[src].then(function (d) { try { cb(d); } finally { done(); } })
      .catch(function (e) { console.error('map data', src, e); done(); });
  }
  function collection(features) { return {type: 'FeatureCollection', features: features}; }

  // ---- basemap: relief, water, labels, plain country fill, borders
  if (cfg.relief) {
    // The relief has about 3.7 km per pixel: sharp at country zoom, a smudge at district
    // zoom, where it fades so that places, rivers and incidents read on a plain ground.
    var relief = L.imageOverlay(cfg.relief, cfg.relief_bounds,
                                {pane: 'geo-relief', interactive: false}).addTo(G.base);
    var fade = function () {
      var z = map.getZoom();
      relief.setOpacity(z <= 8 ? 1 : z >= 11 ? 0.3 : 1 - 0.7 * (z - 8) / 3);
    };
    map.on('zoomend', fade);
    fade();
  }
  load(cfg.water, function (d) {
    L.geoJSON(d, {pane: 'geo-water', interactive: false, style: function (f) {
      return f.properties.kind === 'lake'
        ? {color: '#5d8fc4', weight: 0.6, fillColor: '#a8c8e8', fillOpacity: 1}
        : {color: '#5b8fcf', weight: 1.1, opacity: 0.85};
    }}).addTo(G.base);
  });
  if (cfg.credits) { map.attributionControl.addAttribution(cfg.credits); }
  load(cfg.countries, function (d) {
    if (!cfg.relief) {
      L.geoJSON(d, {pane: 'geo-relief', interactive: false,
                    style: {fillColor: '#f2efe9', stroke: false, fillOpacity: 1}}).addTo(G.base);
    }
    L.geoJSON(d, {pane: 'geo-borders', interactive: false, style: cfg.styles.border})
      .addTo(G.borders);
  });
  var labels = [];
  function showLabels() {
    var z = map.getZoom();
    labels.forEach(function (l) {
      if (l.minzoom <= z) { if (!map.hasLayer(l.m)) { l.m.addTo(map); } }
      else if (map.hasLayer(l.m)) { map.removeLayer(l.m); }
    });
  }
  load(cfg.labels, function (d) {
    (d.features || d).forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var span = document.createElement('span');
      span.textContent = p.name;  // a name is text, never markup
      var icon = L.divIcon({className: 'geo-label geo-label-' + p.kind,
                            html: span, iconSize: [0, 0]});
      labels.push({minzoom: p.minzoom, kind: p.kind,
                   m: L.marker([c[1], c[0]], {icon: icon, pane: 'geo-labels',
                                              interactive: false, keyboard: false})});
    });
    showLabels();
  });
  map.on('zoomend', showLabels);

  // ---- provinces: lines (a click filters), shading, outlines of province-level incidents
  load(cfg.provinces, function (d) {
    var chosen = {};
    cfg.selected_provinces.forEach(function (iso) { chosen[iso] = true; });
    var lines = L.geoJSON(d, {
      style: function (f) {
        return chosen[f.properties.iso_3166_2] ? cfg.styles.chosen : cfg.styles.province;
      },
      onEachFeature: function (f, layer) {
        layer.bindTooltip('<b>' + f.properties.name + '</b> ' + f.properties.iso_3166_2 +
                          '<br><small>click to filter to this province</small>', {sticky: true});
        layer.on('mouseover', function () { layer.setStyle(cfg.styles.hover); });
        layer.on('mouseout', function () { lines.resetStyle(layer); });
      }
    }).addTo(G.provinces);
    var shaded = d.features.filter(function (f) { return cfg.totals[f.properties.iso_3166_2]; });
    L.geoJSON(collection(shaded), {
      style: function (f) {
        var s = L.extend({}, cfg.styles.shade);
        s.fillColor = cfg.totals[f.properties.iso_3166_2][2];
        return s;
      },
      onEachFeature: function (f, layer) {
        var t = cfg.totals[f.properties.iso_3166_2];
        layer.bindTooltip('<b>' + f.properties.name + '</b><br>Incidents: ' + t[0] +
                          '<br>Fatalities: ' + t[1], {sticky: true});
      }
    }).addTo(G.shading);
    var vague = {};
    cfg.areas.provinces.forEach(function (iso) { vague[iso] = true; });
    var outlines = d.features.filter(function (f) { return vague[f.properties.iso_3166_2]; });
    L.geoJSON(collection(outlines), {pane: 'geo-areas', interactive: false,
                                     style: cfg.styles.area_province}).addTo(G.areas);
  });
  if (cfg.areas.districts.length) {
    load(cfg.districts, function (d) {
      var wanted = {};
      cfg.areas.districts.forEach(function (k) { wanted[k] = true; });
      var hit = d.features.filter(function (f) { return wanted[f.properties.k]; });
      L.geoJSON(collection(hit), {pane: 'geo-areas', interactive: false,
                                  style: cfg.styles.area_district}).addTo(G.areas);
    });
  }

  // ---- incidents
  var DASH = [null, '3 2', '2 2', '1 3'];
  var PREC = ['', ' (district-level location)', ' (province-level location)', ' (country-level)'];
  var render = L.svg({pane: 'geo-points'});
  var data = null;
  function marker(i, latlng) {
    var vague = data.p[i] > 0;
    var m = L.circleMarker(latlng || [data.lat[i], data.lon[i]], {
      renderer: render, pane: 'geo-points', radius: data.r[i] / 10,
      color: vague ? '#222' : '#fff', weight: vague ? 1.5 : 1, dashArray: DASH[data.p[i]],
      fillColor: data.colors[data.t[i]], fillOpacity: 0.9});
    m.feature = {type: 'Feature', properties: {incident_id: data.id[i]}};
    m._geoIndex = i;
    return m;
  }
  G.points.on('mouseover', function (e) {
    var m = e.layer;
    if (!m || m._geoIndex === undefined || m.getTooltip()) { return; }
    var i = m._geoIndex;
    m.bindTooltip(data.names[data.ni[i]] + ', ' + data.dates[data.d[i]] + ': ' +
                  data.types[data.t[i]] + PREC[data.p[i]] +
                  '<br><small>click for the sources</small>').openTooltip();
  });
  function shownRows(d) {
    var keep = null, rows = [];
    if (cfg.mask) {
      var raw = atob(cfg.mask); keep = new Uint8Array(raw.length);
      for (var k = 0; k < raw.length; k++) { keep[k] = raw.charCodeAt(k); }
    }
    for (var i = 0; i < d.lat.length; i++) {
      if (d.lat[i] === null || (keep && !(keep[i >> 3] & (128 >> (i & 7))))) { continue; }
      rows.push(i);
    }
    return rows;
  }
  var geo = window.geoClusters = {drawn: 0, spider: [], visible: [], started: performance.now()};
  // The index of the same rows is kept by the page too: a rerun that changes no filter
  // (a click on an incident, the shading) or returns to an earlier set does not rebuild it.
  var indexes = host.__geoIndexes = host.__geoIndexes || [];
  function cachedIndex(rows) {
    var key = typeof cfg.points === 'string' ? cfg.points + '|' + (cfg.mask || '') : null;
    for (var j = 0; key && j < indexes.length; j++) {
      if (indexes[j].key === key) { geo.reused = true; return indexes[j].index; }
    }
    var feats = new Array(rows.length);
    for (var k = 0; k < rows.length; k++) {
      var i = rows[k];
      feats[k] = {type: 'Feature', properties: {i: i},
                  geometry: {type: 'Point', coordinates: [data.lon[i], data.lat[i]]}};
    }
    // radius in 1/512 of a tile: 100 is 50 screen pixels, about the widest bubble.
    // Each cluster counts its incidents per event type ("n<type index>"), drawn as a ring.
    var types = data.t;
    var index = new Supercluster({
      radius: 100, extent: 512, maxZoom: cfg.cluster_max_zoom, minPoints: 2,
      map: function (p) { var o = {}; o['n' + types[p.i]] = 1; return o; },
      reduce: function (acc, p) { for (var k in p) { acc[k] = (acc[k] || 0) + p[k]; } }
    });
    index.load(feats);
    if (key) {
      indexes.unshift({key: key, index: index});
      indexes.length = Math.min(indexes.length, 3);
    }
    return index;
  }
  function clusters(rows) {
    var index = cachedIndex(rows);
    // Added after the page bound its click handler to the map's layers: a click on a
    // cluster zooms or spreads it out and does not rerun the page.
    var bubbles = L.layerGroup().addTo(map), legs = L.layerGroup().addTo(map);
    geo.index = index;
    function unspider() {
      geo.spider.forEach(function (m) { G.points.removeLayer(m); });
      geo.spider = []; geo.spiderAt = null; legs.clearLayers();
      if (geo.spiderFrom) { geo.spiderFrom.setOpacity(1); geo.spiderFrom = null; }
    }
    function spiderfy(center, leaves) {
      unspider();
      var c = map.latLngToLayerPoint(center), n = leaves.length, angle = 0, len = 11;
      leaves.forEach(function (f, k) {
        var x, y;
        if (n <= 8) {
          angle = 2 * Math.PI * k / n;
          x = c.x + 30 * Math.cos(angle); y = c.y + 30 * Math.sin(angle);
        } else {  // a spiral, as Leaflet.markercluster lays out many markers
          x = c.x + len * Math.cos(angle); y = c.y + len * Math.sin(angle);
          angle += 28 / len + k * 0.0005; len += 10 * Math.PI / angle;
        }
        var at = map.layerPointToLatLng([x, y]);
        L.polyline([center, at], {pane: 'geo-points', interactive: false, color: '#222',
                                  weight: 1, opacity: 0.6}).addTo(legs);
        var m = marker(f.properties.i, at);
        geo.spider.push(m); G.points.addLayer(m);
      });
      geo.spiderAt = [center.lat, center.lng];
    }
    function open(e) {
      var id = e.target._geoCluster, ll = e.target.getLatLng();
      var z = index.getClusterExpansionZoom(id);
      if (z <= cfg.cluster_max_zoom && z <= map.getMaxZoom()) {
        map.setView(ll, Math.max(z, map.getZoom() + 1));
      } else {
        spiderfy(ll, index.getLeaves(id, cfg.spider_max));
        geo.spiderFrom = e.target.setOpacity(0.3);  // its incidents are around it now
      }
    }
    function typeRing(props, n) {  // a conic gradient: each event type's share of the cluster
      var stops = [], at = 0;
      data.colors.forEach(function (color, t) {
        var k = props['n' + t] || 0;
        if (!k) { return; }
        var to = at + 100 * k / n;
        stops.push(color + ' ' + at.toFixed(1) + '% ' + to.toFixed(1) + '%');
        at = to;
      });
      return 'conic-gradient(' + stops.join(',') + ')';
    }
    // From cfg.place_label_zoom, each incident or pile drawn is labelled with its place
    // name (a pile with the name most of its located incidents give, "…" when some give
    // another): the orientation the basemap's few town names cannot give at district
    // scale.  Names are escaped text.
    var places = L.layerGroup().addTo(map);
    function placeName(c) {
      if (!c.properties.cluster) {
        var i = c.properties.i;
        return data.p[i] === 0 ? data.names[data.ni[i]] : '';
      }
      var leaves = index.getLeaves(c.properties.cluster_id, 200), count = {}, n = 0, top = -1;
      leaves.forEach(function (f) {
        var j = f.properties.i;
        if (data.p[j] !== 0) { return; }
        n += 1; count[data.ni[j]] = (count[data.ni[j]] || 0) + 1;
        if (top < 0 || count[data.ni[j]] > count[top]) { top = data.ni[j]; }
      });
      if (top < 0 || 2 * count[top] < n || !data.names[top]) { return ''; }
      return data.names[top] + (count[top] < n ? ' …' : '');
    }
    // Labels never overlap one another, another bubble, the basemap's town names or the
    // map's controls (scale, attribution, buttons): the biggest piles are named first;
    // each label goes right of its bubble or, failing that (or off the map), left of it;
    // a name with no room is left out (its incidents' popups still give it).
    // A name's width as drawn: measured once in a hidden label of the same style.
    var ruler = L.DomUtil.create('div', 'geo-label geo-ruler', map.getContainer());
    ruler.style.cssText = 'position: absolute; left: 0; top: 0; visibility: hidden;';
    var rulerText = L.DomUtil.create('span', '', ruler), widths = {};
    function textWidth(html) {
      if (!(html in widths)) {
        rulerText.innerHTML = html;  // the same escaped text the label itself shows
        widths[html] = rulerText.getBoundingClientRect().width;
      }
      return widths[html];
    }
    function overlaps(a, boxes) {
      return boxes.some(function (b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
      });
    }
    function radius(c) {
      var n = c.properties.point_count;
      return n ? (24 + 6 * Math.log10(n)) / 2 : data.r[c.properties.i] / 10;
    }
    function fixedBoxes() {  // the map's controls and the basemap's town names
      var at = map.getContainer().getBoundingClientRect(), boxes = [];
      map.getContainer().querySelectorAll('.leaflet-control').forEach(function (e) {
        var r = e.getBoundingClientRect();
        boxes.push([r.left - at.left, r.top - at.top, r.right - at.left, r.bottom - at.top]);
      });
      // A province's or country's lettering may be written over: at district zoom the
      // name of the biggest pile matters more.  A town's name is placed from its point:
      // on "moveend" after a jump Leaflet has not yet moved the markers ("viewreset"
      // comes later), but a name's offset from its point holds.
      var view = map.getBounds().pad(0.2);
      labels.forEach(function (l) {
        var icon = l.kind === 'town' && map.hasLayer(l.m) && view.contains(l.m.getLatLng()) &&
                   l.m.getElement();
        if (!icon || !icon.firstChild) { return; }
        var p = map.latLngToContainerPoint(l.m.getLatLng());
        var i = icon.getBoundingClientRect(), r = icon.firstChild.getBoundingClientRect();
        var x = p.x + r.left - i.left, y = p.y + r.top - i.top;
        boxes.push([x, y, x + r.width, y + r.height]);
      });
      return boxes.filter(function (b) { return b[2] > b[0] && b[3] > b[1]; });
    }
    function label(items) {
      places.clearLayers();
      geo.placeLabels = []; geo.placeLabelsLeftOut = 0;
      if (map.getZoom() < cfg.place_label_zoom) { return; }
      var seen = {}, view = map.getBounds(), placed = fixedBoxes();
      var spots = items.map(function (c) {
        var ll = L.latLng(c.geometry.coordinates[1], c.geometry.coordinates[0]);
        return {c: c, ll: ll, at: map.latLngToContainerPoint(ll), r: radius(c)};
      });
      var size = map.getSize();
      var discs = spots.map(function (s) {  // the square inside the circle, near enough
        var h = 0.8 * s.r;
        return [s.at.x - h, s.at.y - h, s.at.x + h, s.at.y + h];
      });
      spots.map(function (s, k) { s.k = k; return s; })
        .sort(function (a, b) {
          return (b.c.properties.point_count || 1) - (a.c.properties.point_count || 1);
        })
        .forEach(function (s) {
          var name = view.contains(s.ll) ? placeName(s.c) : '';
          var key = name + '|' + s.ll.lat.toFixed(2) + '|' + s.ll.lng.toFixed(2);
          if (!name || seen[key]) { return; }
          seen[key] = true;
          var w = textWidth(name), gap = s.r + 4, y0 = s.at.y - 8, y1 = s.at.y + 8;
          var others = discs.filter(function (b, k) { return k !== s.k; }).concat(placed);
          var box = [[s.at.x + gap, y0, s.at.x + gap + w, y1],
                     [s.at.x - gap - w, y0, s.at.x - gap, y1]].filter(function (b) {
            return b[0] >= 0 && b[2] <= size.x && !overlaps(b, others);
          })[0];
          if (!box) { geo.placeLabelsLeftOut += 1; return; }
          var dx = Math.round(box[0] - s.at.x);
          placed.push(box);
          geo.placeLabels.push(name);
          places.addLayer(L.marker(s.ll, {pane: 'geo-labels', interactive: false,
            keyboard: false, icon: L.divIcon({className: 'geo-label geo-label-place',
              iconSize: [0, 0], html: '<span style="transform: translate(' + dx +
                                      'px, -50%)">' + name + '</span>'})}));
        });
    }
    function draw() {
      unspider(); bubbles.clearLayers(); G.points.clearLayers();
      // Deeper than the index, the deepest clusters stay: what is still together there
      // shares a spot and spreads out on click instead of being drawn as a pile.
      var b = map.getBounds().pad(0.25);
      var z = Math.min(Math.round(map.getZoom()), cfg.cluster_max_zoom);
      var items = index.getClusters([Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()),
                                     Math.min(180, b.getEast()), Math.min(85, b.getNorth())], z);
      items.forEach(function (c) {
        var ll = [c.geometry.coordinates[1], c.geometry.coordinates[0]];
        if (!c.properties.cluster) { G.points.addLayer(marker(c.properties.i)); return; }
        var n = c.properties.point_count, s = Math.round(24 + 6 * Math.log10(n));
        var icon = L.divIcon({className: 'geo-cluster', iconSize: [s, s],
          html: '<span style="background:' + typeRing(c.properties, n) + '"></span>' +
                '<div style="line-height:' + (s - 8) + 'px">' +
                c.properties.point_count_abbreviated + '</div>'});
        var b_ = L.marker(ll, {icon: icon, pane: 'geo-clusters', keyboard: false,
                               title: n + ' incidents: click to zoom in or spread them out'});
        b_._geoCluster = c.properties.cluster_id;
        b_.on('click', open);
        bubbles.addLayer(b_);
      });
      geo.drawn = items.length;
      geo.visible = items.map(function (c) {
        return [c.geometry.coordinates[1], c.geometry.coordinates[0]];
      });
      label(items);
    }
    geo.draw = draw; geo.spiderfy = spiderfy;
    map.on('moveend', draw);
    draw();
  }
  if (cfg.points !== null) { window.__geoPending += 1; }
  load(cfg.points, function (d) {
    data = d;
    var rows = shownRows(d);
    if (!cfg.cluster) {  // the report: every incident, at once
      rows.forEach(function (i) { G.points.addLayer(marker(i)); });
      geo.drawn = rows.length; done();
      return;
    }
    geo.fetched = performance.now();
    function go() {
      try { clusters(rows); } finally { geo.clustered = performance.now(); done(); }
    }
    // Fetched data arrives after the page bound its click handlers; inline data waits.
    if (typeof cfg.points === 'string') { go(); } else { setTimeout(go, 0); }
  });
  if (cfg.selected) {
    L.circleMarker(cfg.selected, {pane: 'geo-selected', radius: 15, color: '#fff', weight: 6,
                                  fill: false, interactive: false}).addTo(map);
    L.circleMarker(cfg.selected, {pane: 'geo-selected', radius: 15, color: '#000', weight: 3,
                                  fill: false, interactive: false}).addTo(map);
  }
})();
{% endmacro %}
"""
)


_MAP_TEMPLATE = Template(_MAP_JS)

_PANES_JS = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  map.setMaxZoom(map.options.maxZoom || 18);
  // Bottom to top; only the arcs, clusters and points take clicks, the rest let them
  // through to the province below (a click there filters to the province).
  [['geo-relief', 150, false], ['geo-water', 250, false], ['geo-areas', 410, false],
   ['geo-borders', 430, false], ['geo-labels', 450, false], ['geo-arcs', 460, true],
   ['geo-points', 500, true], ['geo-clusters', 520, true], ['geo-selected', 640, false]
  ].forEach(function (p) {
    var el = map.getPane(p[0]) || map.createPane(p[0]);
    el.style.zIndex = p[1];
    if (!p[2]) { el.style.pointerEvents = 'none'; }
  });
})();
{% endmacro %}
""")


class Panes(MacroElement):
    """The map's drawing order (Leaflet panes); added first, before any layer uses them."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeoPanes"
        self._template = _PANES_JS


class MapScript(MacroElement):
    """Everything drawn from ``config`` (JSON text) into the folium ``groups``.

    ``groups`` maps ``base``, ``provinces``, ``shading``, ``areas``, ``borders`` and
    ``points`` to the feature groups (layer-menu entries) the layers go into.
    """

    def __init__(self, config: str, groups: dict[str, folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "GeoMap"
        self._template = _MAP_TEMPLATE
        self.config = config
        self.groups = groups


_SHAPES_JS = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
  pane: {{ this.pane }}, interactive: {{ this.interactive }},
  style: function (f) { return f.properties.s || {}; },
  onEachFeature: function (f, layer) {
    if (f.properties.tip) { layer.bindTooltip(f.properties.tip, {sticky: true}); }
  }
});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}
""")


class ShapeLayer(MacroElement):
    """Lines and polygons as one GeoJSON layer in ``pane`` (JSON text ``data``)."""

    def __init__(self, data: str, pane: str, interactive: bool) -> None:
        super().__init__()
        self._name = "ShapeLayer"
        self._template = _SHAPES_JS
        self.data = data
        self.pane = '"' + pane + '"'
        self.interactive = "true" if interactive else "false"


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div id="incident-legend" style="position:absolute;top:10px;left:52px;z-index:650;
 background:rgba(255,255,255,.95);padding:3px 8px;border:1px solid #999;border-radius:4px;
 font:11px sans-serif;line-height:1.45;max-width:270px">
<details><summary style="cursor:pointer"><b>Legend</b></summary>
{% for name, color in this.colors.items() %}
<span style="display:inline-block;width:9px;height:9px;border-radius:5px;
 background:{{color}}"></span> {{name}}<br>
{% endfor %}
{% if this.clusters %}<span style="display:inline-block;width:14px;height:14px;
 border-radius:7px;background:#333;color:#fff;font-size:8px;text-align:center;
 line-height:14px;box-shadow:0 0 0 2px #d62728">12</span> cluster (ring: share of each event
type): zoom in or click to open; at one spot it spreads out<br>
{% endif %}
<span style="font-size:10px">Circle size: fatalities. Dashed ring and outline: located
only to a district (short dashes) or province (long dashes). Arc: cross-border fire,
origin → target (dashed: claimed or disputed). Heavy line: international border.</span>
{% if this.breaks %}<br><b>{{ this.measure }} per province</b> (layer menu)<br>
{% for label, color in this.scale %}<span style="display:inline-block;width:18px;height:10px;
 background:{{color}};border:1px solid #999"></span> {{label}}<br>{% endfor %}{% endif %}
</details>
</div>
{% endmacro %}
""")


class Legend(MacroElement):
    """A folded legend (opened on demand, so it never hides the map).

    ``scale`` lists (label, colour) of the province shading classes; ``clusters`` says
    whether the map clusters (explained in the legend).
    """

    def __init__(
        self, colors: dict[str, str], measure: str, breaks: list[float],
        scale: list[tuple[str, str]], clusters: bool = True,
    ) -> None:  # fmt: skip
        super().__init__()
        self.clusters = clusters
        self._name = "IncidentLegend"
        self._template = _LEGEND
        self.colors = colors
        self.measure = measure.capitalize()
        self.breaks = breaks
        self.scale: list[tuple[str, Any]] = scale
