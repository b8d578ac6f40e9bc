// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne nearby: questions near a point, nearest first, as JSON, GeoJSON or
// text.

#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "dongne/nearby.h"
#include "json_format.h"

namespace dongne::cli {

void AddNearbyCommand(CLI::App& app, Context& context) {
  static struct {
    std::string dir;
    NearbyQuery query;
    double radius = 0;
    int limit = 0;
    bool geojson = false;
  } args;
  auto* cmd = app.add_subcommand("nearby", "Questions near a point, nearest first");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--lat", args.query.center.lat, "Latitude of the centre")->required();
  cmd->add_option("--lon", args.query.center.lon, "Longitude of the centre")->required();
  auto* radius = cmd->add_option("--radius", args.radius, "Radius in metres (0-20,004,000)");
  auto* limit = cmd->add_option("--limit", args.limit, "Hits per page (1-1000, default 20)");
  cmd->add_flag("--unanswered", args.query.unanswered, "Only questions without answers");
  cmd->add_flag("--urgent", args.query.urgent, "Only urgent questions");
  cmd->add_option("--category", args.query.category, "Category");
  cmd->add_option("--tag", args.query.tag, "Hashtag");
  cmd->add_option("--cursor", args.query.cursor, "next_cursor of the previous page");
  cmd->add_flag("--geojson", args.geojson, "Print a GeoJSON FeatureCollection of the hits");
  cmd->callback([&context, radius, limit] {
    if (radius->count()) args.query.radius_m = args.radius;
    // Neither given: the 20 nearest at any distance.
    if (limit->count() || !radius->count()) args.query.k = limit->count() ? args.limit : 20;
    const NearbyPage page = context.Open(args.dir)->Nearby(args.query);
    if (args.geojson) {
      std::cout << NearbyGeoJson(page) << '\n';
      return;
    }
    std::string text;
    for (const NearbyHit& hit : page.hits) {
      text += fmt::format("{:>9.0f} m  {}\n", hit.distance_m, QuestionLine(hit.question));
    }
    if (!page.next_cursor.empty()) text += "next: --cursor " + page.next_cursor + "\n";
    context.Print(page, text.empty() ? "no questions nearby" : text);
  });
}

}  // namespace dongne::cli
