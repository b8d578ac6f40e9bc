// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Polygons are kept as flat rings of (lon, lat). Routing looks up a uniform
// grid over the map's extent whose cells list the features whose bounding
// boxes touch them, then runs an even-odd ray test on those candidates only.

#include "geo/region_map.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "dongne/error.h"
#include "geo/geodesic.h"

namespace dongne::geo {

extern const std::string_view kDefaultRegionsGeoJson;

namespace {

constexpr double kRad = std::numbers::pi / 180;
constexpr double kMetresPerDegreeLat = 110574;  // the smallest, at the equator: bounds stay supersets
constexpr int kMaxGridSide = 256;

struct Point {
  double x;  // longitude
  double y;  // latitude
};

struct Box {
  double min_x = 180, min_y = 90, max_x = -180, max_y = -90;
  void Add(Point p) {
    min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
  }
  void Add(const Box& b) {
    min_x = std::min(min_x, b.min_x), max_x = std::max(max_x, b.max_x);
    min_y = std::min(min_y, b.min_y), max_y = std::max(max_y, b.max_y);
  }
  bool Contains(Point p) const {
    return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
  }
  bool Intersects(const Box& b) const {
    return b.min_x <= max_x && b.max_x >= min_x && b.min_y <= max_y && b.max_y >= min_y;
  }
};

// One polygon: the outer ring then its holes. The even-odd rule over all
// rings gives inside-the-outer-and-outside-every-hole without telling them apart.
using Ring = std::vector<Point>;
using Polygon = std::vector<Ring>;

struct Feature {
  std::vector<Polygon> polygons;
  Box box;
};

bool InsideRings(const Polygon& polygon, Point p) {
  bool inside = false;
  for (const Ring& ring : polygon) {
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const Point a = ring[i], b = ring[j];
      if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
        inside = !inside;
      }
    }
  }
  return inside;
}

// Distance in metres from `p` to the nearest edge of `feature`, on a local
// equirectangular projection around `p`: good to well under 1% at the few
// kilometres snapping deals in.
double DistanceToEdges(const Feature& feature, Point p) {
  const double mx = std::cos(p.y * kRad) * kEarthRadiusM * kRad;
  const double my = kEarthRadiusM * kRad;
  double best = INFINITY;
  for (const Polygon& polygon : feature.polygons) {
    for (const Ring& ring : polygon) {
      for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double ax = (ring[j].x - p.x) * mx, ay = (ring[j].y - p.y) * my;
        const double bx = (ring[i].x - p.x) * mx, by = (ring[i].y - p.y) * my;
        const double dx = bx - ax, dy = by - ay;
        const double len2 = dx * dx + dy * dy;
        const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0;
        best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
      }
    }
  }
  return best;
}

// The box around `center` holding every point within `radius_m`; its x range
// may leave [-180, 180] near the antimeridian, and covers all longitudes near a pole.
Box CircleBox(LatLon center, double radius_m) {
  const double dlat = radius_m / kMetresPerDegreeLat;
  Box box{center.lon, center.lat - dlat, center.lon, center.lat + dlat};
  const double max_abs_lat = std::max(std::abs(box.min_y), std::abs(box.max_y));
  const double dlon = max_abs_lat >= 89.9 ? 360
                                          : radius_m / (kMetresPerDegreeLat * std::cos(max_abs_lat * kRad));
  if (dlon >= 180) {
    box.min_x = -180, box.max_x = 180;
  } else {
    box.min_x -= dlon, box.max_x += dlon;
  }
  return box;
}

bool BoxesMeet(const Box& feature_box, const Box& query) {
  if (feature_box.Intersects(query)) return true;
  Box shifted = query;  // the part of the query beyond the antimeridian
  if (query.min_x < -180) shifted.min_x += 360, shifted.max_x += 360;
  else if (query.max_x > 180) shifted.min_x -= 360, shifted.max_x -= 360;
  else return false;
  return feature_box.Intersects(shifted);
}

[[noreturn]] void Fail(std::string_view source, std::string_view what) {
  throw InvalidArgument(std::string(source) + ": " + std::string(what));
}

// The object's "type" member when it is a string, else empty.
std::string TypeOf(const nlohmann::json& object) {
  auto it = object.find("type");
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string FeatureLabel(std::size_t index) { return "feature " + std::to_string(index); }

std::string PropertyText(const nlohmann::json& properties, const char* name) {
  auto it = properties.find(name);
  if (it == properties.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return it->dump();
}

Ring ParseRing(const nlohmann::json& positions, std::string_view source, std::size_t index) {
  if (!positions.is_array() || positions.size() < 4) {
    Fail(source, FeatureLabel(index) + ": a ring needs at least 4 positions");
  }
  Ring ring;
  ring.reserve(positions.size());
  for (const auto& position : positions) {
    if (!position.is_array() || position.size() < 2 || !position[0].is_number() ||
        !position[1].is_number()) {
      Fail(source, FeatureLabel(index) + ": a position must be [longitude, latitude]");
    }
    const double x = position[0].get<double>(), y = position[1].get<double>();
    if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
      Fail(source, FeatureLabel(index) + ": position out of range");
    }
    ring.push_back({x, y});
  }
  return ring;
}

Polygon ParsePolygon(const nlohmann::json& rings, std::string_view source, std::size_t index) {
  if (!rings.is_array() || rings.empty()) {
    Fail(source, FeatureLabel(index) + ": a polygon needs an outer ring");
  }
  Polygon polygon;
  for (const auto& ring : rings) polygon.push_back(ParseRing(ring, source, index));
  return polygon;
}

}  // namespace

struct RegionMap::Data {
  std::vector<Region> regions;
  std::vector<Feature> features;
  // The grid: cell (cx, cy) lists features [cell_start[c], cell_start[c + 1])
  // of cell_features, with c = cy * grid_x + cx.
  Box extent;
  int grid_x = 1, grid_y = 1;
  double cell_w = 1, cell_h = 1;
  std::vector<std::uint32_t> cell_start;
  std::vector<std::uint32_t> cell_features;

  int CellX(double x) const { return CellIndex((x - extent.min_x) / cell_w, grid_x); }
  int CellY(double y) const { return CellIndex((y - extent.min_y) / cell_h, grid_y); }

  // Clamps in double before converting: a query box around a degenerate map
  // (one point, cells of 1e-11 degrees) lies billions of cells away, which no
  // int holds.
  static int CellIndex(double cell, int cells) {
    if (!(cell > 0)) return 0;
    if (cell >= cells - 1) return cells - 1;
    return static_cast<int>(cell);
  }

  void BuildGrid() {
    for (const Feature& f : features) extent.Add(f.box);
    const double w = std::max(extent.max_x - extent.min_x, 1e-9);
    const double h = std::max(extent.max_y - extent.min_y, 1e-9);
    const double cell = std::max(w, h) / kMaxGridSide;
    grid_x = std::max(1, static_cast<int>(std::ceil(w / cell)));
    grid_y = std::max(1, static_cast<int>(std::ceil(h / cell)));
    cell_w = w / grid_x, cell_h = h / grid_y;
    std::vector<std::vector<std::uint32_t>> cells(static_cast<std::size_t>(grid_x) * grid_y);
    for (std::uint32_t i = 0; i < features.size(); ++i) {
      const Box& b = features[i].box;
      for (int cy = CellY(b.min_y); cy <= CellY(b.max_y); ++cy) {
        for (int cx = CellX(b.min_x); cx <= CellX(b.max_x); ++cx) {
          cells[static_cast<std::size_t>(cy) * grid_x + cx].push_back(i);
        }
      }
    }
    cell_start.reserve(cells.size() + 1);
    cell_start.push_back(0);
    for (const auto& cell_list : cells) {
      cell_features.insert(cell_features.end(), cell_list.begin(), cell_list.end());
      cell_start.push_back(static_cast<std::uint32_t>(cell_features.size()));
    }
  }

  // Calls fn(feature) for each feature listed in the cells meeting `box`
  // (which must lie within [-180, 180]); a feature may come more than once.
  template <typename Fn>
  void ForCandidates(const Box& box, Fn&& fn) const {
    if (!box.Intersects(extent)) return;
    for (int cy = CellY(box.min_y); cy <= CellY(box.max_y); ++cy) {
      for (int cx = CellX(box.min_x); cx <= CellX(box.max_x); ++cx) {
        const std::size_t c = static_cast<std::size_t>(cy) * grid_x + cx;
        for (std::uint32_t k = cell_start[c]; k < cell_start[c + 1]; ++k) fn(cell_features[k]);
      }
    }
  }
};

RegionMap::RegionMap(std::unique_ptr<Data> data) : data_(std::move(data)) {}
RegionMap::RegionMap(RegionMap&&) noexcept = default;
RegionMap& RegionMap::operator=(RegionMap&&) noexcept = default;
RegionMap::~RegionMap() = default;

RegionMap RegionMap::Parse(std::string_view geojson, std::string_view source) {
  const nlohmann::json doc = nlohmann::json::parse(geojson, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) Fail(source, "not valid JSON");
  if (!doc.is_object() || TypeOf(doc) != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    Fail(source, "not a GeoJSON FeatureCollection");
  }
  const auto& features = doc["features"];
  if (features.empty()) Fail(source, "the FeatureCollection has no features");

  auto data = std::make_unique<Data>();
  for (std::size_t index = 0; index < features.size(); ++index) {
    const auto& feature = features[index];
    if (!feature.is_object() || !feature.contains("geometry") || !feature["geometry"].is_object()) {
      Fail(source, FeatureLabel(index) + ": no geometry");
    }
    const auto& geometry = feature["geometry"];
    const std::string type = TypeOf(geometry);
    if (!geometry.contains("coordinates")) Fail(source, FeatureLabel(index) + ": no coordinates");
    const auto& coordinates = geometry["coordinates"];
    Feature parsed;
    if (type == "Polygon") {
      parsed.polygons.push_back(ParsePolygon(coordinates, source, index));
    } else if (type == "MultiPolygon") {
      if (!coordinates.is_array() || coordinates.empty()) {
        Fail(source, FeatureLabel(index) + ": a MultiPolygon needs an array of polygons");
      }
      for (const auto& polygon : coordinates) parsed.polygons.push_back(ParsePolygon(polygon, source, index));
    } else {
      Fail(source, FeatureLabel(index) + ": geometry must be a Polygon or MultiPolygon, not '" + type + "'");
    }
    for (const Polygon& polygon : parsed.polygons) {
      for (Point p : polygon.front()) parsed.box.Add(p);
    }

    static const nlohmann::json kNoProperties = nlohmann::json::object();
    const auto& properties = feature.contains("properties") && feature["properties"].is_object()
                                 ? feature["properties"]
                                 : kNoProperties;
    Region region{PropertyText(properties, "region"), PropertyText(properties, "name"),
                  PropertyText(properties, "code")};
    if (region.key.empty()) region.key = Slug(PropertyText(properties, "name_eng"));
    if (region.key.empty()) region.key = region.code;
    if (region.key.empty()) {
      Fail(source, FeatureLabel(index) + ": no shard key (properties region, name_eng or code)");
    }
    data->regions.push_back(std::move(region));
    data->features.push_back(std::move(parsed));
  }
  data->BuildGrid();
  return RegionMap(std::move(data));
}

const RegionMap& RegionMap::BuiltIn() {
  static const RegionMap map = Parse(kDefaultRegionsGeoJson, "built-in region map");
  return map;
}

std::string_view RegionMap::BuiltInGeoJson() { return kDefaultRegionsGeoJson; }

std::optional<std::size_t> RegionMap::Locate(LatLon at, double snap_distance_m) const {
  const Data& d = *data_;
  const auto locate = [&](LatLon at) -> std::optional<std::size_t> {
    const Point p{at.lon, at.lat};
    std::optional<std::size_t> found;
    d.ForCandidates(Box{p.x, p.y, p.x, p.y}, [&](std::uint32_t i) {
      if (found && *found <= i) return;  // overlapping polygons: the first feature wins
      const Feature& f = d.features[i];
      if (!f.box.Contains(p)) return;
      for (const Polygon& polygon : f.polygons) {
        if (InsideRings(polygon, p)) {
          found = i;
          return;
        }
      }
    });
    if (found || !(snap_distance_m > 0)) return found;

    const Box reach = CircleBox(at, snap_distance_m);
    Box clipped = reach;  // snapping across the antimeridian is not worth its code
    clipped.min_x = std::max(clipped.min_x, -180.0), clipped.max_x = std::min(clipped.max_x, 180.0);
    double best = snap_distance_m;
    d.ForCandidates(clipped, [&](std::uint32_t i) {
      const Feature& f = d.features[i];
      if (!f.box.Intersects(reach)) return;
      const double distance = DistanceToEdges(f, p);
      if (distance < best || (distance == best && found && i < *found)) {
        best = distance;
        found = i;
      }
    });
    return found;
  };
  const std::optional<std::size_t> found = locate(at);
  // -180 and 180 are one meridian, which a map may draw as either.
  if (!found && std::abs(at.lon) == 180) return locate(LatLon{at.lat, -at.lon});
  return found;
}

std::vector<std::size_t> RegionMap::FeaturesNear(LatLon center, double radius_m) const {
  const Box query = CircleBox(center, radius_m);
  std::vector<std::size_t> near;
  for (std::size_t i = 0; i < data_->features.size(); ++i) {
    if (BoxesMeet(data_->features[i].box, query)) near.push_back(i);
  }
  return near;
}

const Region& RegionMap::region(std::size_t feature) const { return data_->regions.at(feature); }

std::size_t RegionMap::size() const { return data_->regions.size(); }

std::vector<std::string> RegionMap::Keys() const {
  std::vector<std::string> keys;
  std::unordered_set<std::string> seen;
  for (const Region& r : data_->regions) {
    if (seen.insert(r.key).second) keys.push_back(r.key);
  }
  return keys;
}

std::string Slug(std::string_view text) {
  std::string slug;
  bool pending_dash = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 0x80) {
      if (pending_dash && !slug.empty()) slug += '-';
      pending_dash = false;
      slug += static_cast<char>(std::tolower(c));
    } else {
      pending_dash = true;
    }
  }
  return slug;
}

}  // namespace dongne::geo
