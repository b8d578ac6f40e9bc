// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "geo/region_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dongne/error.h"
#include "test_util.h"

namespace dongne::geo {
namespace {

using dongne::testing::SharedData;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string KeyAt(const RegionMap& map, LatLon p, double snap_m = 3000) {
  const std::optional<std::size_t> feature = map.Locate(p, snap_m);
  return feature ? map.region(*feature).key : "default";
}

constexpr LatLon kSeongsanIlchulbong{33.4585, 126.9425};  // a crater on the coast
constexpr LatLon kGimhaeNearBorder{35.2184, 128.9420};     // ~350 m west of Busan
constexpr LatLon kBusanNearBorder{35.2179, 128.9520};      // ~550 m east of Gimhae
constexpr LatLon kOpenSea{33.0, 127.6};                    // ~50 km off Jeju's east coast

TEST(RegionMapRealData, CoastalPointSnapsIntoJeju) {
  DONGNE_REQUIRE_SHARED_DATA(path, "korea-provinces-2013.geojson");
  const RegionMap map = RegionMap::Parse(ReadAll(path), path.string());
  EXPECT_EQ(map.size(), 17u);
  // The simplified coastline leaves the crater just outside every polygon.
  EXPECT_FALSE(map.Locate(kSeongsanIlchulbong, 0).has_value());
  EXPECT_EQ(KeyAt(map, kSeongsanIlchulbong), "jeju-do");
}

TEST(RegionMapRealData, BusanGimhaeBorderSplitsProvinces) {
  DONGNE_REQUIRE_SHARED_DATA(path, "korea-provinces-2013.geojson");
  const RegionMap map = RegionMap::Parse(ReadAll(path), path.string());
  EXPECT_EQ(KeyAt(map, kGimhaeNearBorder), "gyeongsangnam-do");
  EXPECT_EQ(KeyAt(map, kBusanNearBorder), "busan");
}

TEST(RegionMapRealData, OpenSeaGoesToDefault) {
  DONGNE_REQUIRE_SHARED_DATA(path, "korea-provinces-2013.geojson");
  const RegionMap map = RegionMap::Parse(ReadAll(path), path.string());
  EXPECT_EQ(KeyAt(map, kOpenSea), "default");
}

TEST(RegionMapRealData, NeighbourhoodsNameTheDong) {
  DONGNE_REQUIRE_SHARED_DATA(path, "korea-neighborhoods-2013.geojson");
  const RegionMap map = RegionMap::Parse(ReadAll(path), path.string());
  EXPECT_EQ(map.size(), 3482u);
  const auto airport = map.Locate({35.1795, 128.9382}, 3000);
  ASSERT_TRUE(airport.has_value());
  EXPECT_EQ(map.region(*airport).name, "대저2동");
  const auto seongsan = map.Locate(kSeongsanIlchulbong, 3000);
  ASSERT_TRUE(seongsan.has_value());
  EXPECT_EQ(map.region(*seongsan).name, "성산읍");
}

// The grid must give the same answer as testing every feature: compare with a
// second map holding each feature alone, on a lattice over the whole country.
TEST(RegionMapRealData, GridAgreesWithFullScan) {
  DONGNE_REQUIRE_SHARED_DATA(path, "korea-municipalities-2013.geojson");
  const std::string text = ReadAll(path);
  const RegionMap map = RegionMap::Parse(text, path.string());
  const nlohmann::json doc = nlohmann::json::parse(text);
  std::vector<RegionMap> singles;
  for (const auto& feature : doc["features"]) {
    nlohmann::json one = {{"type", "FeatureCollection"}, {"features", {feature}}};
    singles.push_back(RegionMap::Parse(one.dump(), "single"));
  }
  int inside = 0;
  for (double lat = 33.0; lat <= 38.6; lat += 0.05) {
    for (double lon = 124.6; lon <= 131.0; lon += 0.05) {
      std::optional<std::size_t> expected;
      for (std::size_t i = 0; i < singles.size() && !expected; ++i) {
        if (singles[i].Locate({lat, lon}, 0)) expected = i;
      }
      ASSERT_EQ(map.Locate({lat, lon}, 0), expected) << lat << "," << lon;
      inside += expected.has_value();
    }
  }
  EXPECT_GT(inside, 3000);  // the lattice really crossed land
}

TEST(RegionMapBuiltIn, RoutesJejuBusanSeoul) {
  const RegionMap& map = RegionMap::BuiltIn();
  EXPECT_EQ(map.Keys(), (std::vector<std::string>{"jeju", "busan", "seoul"}));
  EXPECT_EQ(KeyAt(map, {33.4996, 126.5312}), "jeju");     // 제주시청
  EXPECT_EQ(KeyAt(map, kSeongsanIlchulbong), "jeju");
  EXPECT_EQ(KeyAt(map, {35.1587, 129.1604}), "busan");    // 해운대
  EXPECT_EQ(KeyAt(map, {37.5665, 126.9780}), "seoul");    // 서울시청
  EXPECT_EQ(KeyAt(map, {36.3504, 127.3845}), "default");  // 대전
}

TEST(RegionMapParse, KeyRule) {
  const char* text = R"js({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"region":"r1","name_eng":"Ignored","code":"1"},
     "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
    {"type":"Feature","properties":{"name_eng":"Chungcheongbuk-do  (North)","code":"2"},
     "geometry":{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,0]]]}},
    {"type":"Feature","properties":{"code":43},
     "geometry":{"type":"MultiPolygon","coordinates":[[[[4,0],[5,0],[5,1],[4,0]]]]}}]})js";
  const RegionMap map = RegionMap::Parse(text, "t");
  EXPECT_EQ(map.Keys(), (std::vector<std::string>{"r1", "chungcheongbuk-do-north", "43"}));
}

TEST(RegionMapParse, HolesAreOutside) {
  const char* text = R"js({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"region":"ring"},"geometry":{"type":"Polygon","coordinates":[
      [[0,0],[10,0],[10,10],[0,10],[0,0]], [[4,4],[6,4],[6,6],[4,6],[4,4]]]}}]})js";
  const RegionMap map = RegionMap::Parse(text, "t");
  EXPECT_TRUE(map.Locate({1, 1}, 0).has_value());
  EXPECT_FALSE(map.Locate({5, 5}, 0).has_value());
}

// Regression: a point at longitude -180 went to the default shard though a
// polygon reached 180, the same meridian (and the other way round).
TEST(RegionMapParse, LongitudesMinus180And180AreOneMeridian) {
  const char* text = R"js({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"region":"east"},"geometry":{"type":"Polygon","coordinates":[
      [[179,10],[180,10],[180,11],[179,11],[179,10]]]}},
    {"type":"Feature","properties":{"region":"west"},"geometry":{"type":"Polygon","coordinates":[
      [[-180,20],[-179,20],[-179,21],[-180,21],[-180,20]]]}}]})js";
  const RegionMap map = RegionMap::Parse(text, "t");
  EXPECT_EQ(KeyAt(map, {10.5, 180}), "east");
  EXPECT_EQ(KeyAt(map, {10.5, -180}), "east");
  EXPECT_EQ(KeyAt(map, {20.5, -180}), "west");
  EXPECT_EQ(KeyAt(map, {20.5, 180}), "west");
}

// Found by the region_map fuzzer: a map whose only polygon is one point has
// cells of 1e-11 degrees, and a 3 km search box around it spanned more cells
// than an int holds (undefined behaviour under UBSan).
TEST(RegionMapParse, DegeneratePolygonRoutesFarPointsWithoutOverflow) {
  const char* text = R"js({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"region":"dot"},
     "geometry":{"type":"Polygon","coordinates":[[[0,0],[0,0],[0,0],[0,0]]]}}]})js";
  const RegionMap map = RegionMap::Parse(text, "t");
  EXPECT_EQ(KeyAt(map, {0.001, 0.001}), "dot");
  EXPECT_EQ(KeyAt(map, {-90, -180}), "default");
  EXPECT_EQ(map.FeaturesNear({0, 0}, 5000).size(), 1u);
  EXPECT_TRUE(map.FeaturesNear({90, 180}, 5000).empty());
}

TEST(RegionMapParse, BadMapsNameSourceAndFeature) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not valid JSON"},
      {R"js({"type":"Feature"})js", "not a GeoJSON FeatureCollection"},
      // Found by the region_map fuzzer: a "type" that is not a string threw
      // nlohmann's type_error instead of InvalidArgument.
      {R"js({"type":111111})js", "not a GeoJSON FeatureCollection"},
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"region":"a"},
          "geometry":{"type":7,"coordinates":[]}}]})js", "feature 0: geometry must be"},
      {R"js({"type":"FeatureCollection","features":[]})js", "no features"},
      // Regression: this said "must be a Polygon or MultiPolygon, not 'MultiPolygon'".
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"region":"a"},
          "geometry":{"type":"MultiPolygon","coordinates":[]}}]})js",
       "feature 0: a MultiPolygon needs an array of polygons"},
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"region":"a"},
          "geometry":{"type":"Point","coordinates":[0,0]}}]})js", "feature 0: geometry must be"},
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"region":"a"},
          "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]})js", "at least 4"},
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"region":"a"},
          "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,0]]]}}]})js", "out of range"},
      {R"js({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"이름만"},
          "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]})js", "no shard key"},
  };
  for (const auto& [text, message] : cases) {
    try {
      RegionMap::Parse(text, "my-map.geojson");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("my-map.geojson"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
}

TEST(RegionMapNear, CircleOverBorderTouchesBothSides) {
  const RegionMap& map = RegionMap::BuiltIn();
  EXPECT_TRUE(map.FeaturesNear({36.3504, 127.3845}, 1000).empty());
  EXPECT_EQ(map.FeaturesNear({35.1587, 129.1604}, 1000).size(), 1u);
  EXPECT_EQ(map.FeaturesNear({35.0, 128.0}, 2e7).size(), 3u);
}

TEST(Slug, LowerAsciiWithSingleDashes) {
  EXPECT_EQ(Slug("Jeju-do"), "jeju-do");
  EXPECT_EQ(Slug("  Daejeo 1(il)-dong "), "daejeo-1-il-dong");
  EXPECT_EQ(Slug("제주"), "");
}

}  // namespace
}  // namespace dongne::geo
