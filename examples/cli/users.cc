// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne init DIR [--regions FILE] [--neighborhoods FILE]
// dongne user DIR NICK

#include <fmt/format.h>

#include "cli.h"
#include "json_format.h"

namespace dongne::cli {

void AddUserCommands(CLI::App& app, Context& context) {
  // Arguments live as long as the process: CLI11 writes them while parsing
  // and the callbacks read them at its end.
  static struct {
    std::string dir, regions, neighborhoods;
  } init_args;
  auto* init = app.add_subcommand("init", "Create an engine directory (or open an existing one)");
  init->add_option("DIR", init_args.dir, "Engine directory")->required();
  init->add_option("--regions", init_args.regions, "Region map (GeoJSON); default: built-in map");
  init->add_option("--neighborhoods", init_args.neighborhoods, "Neighbourhood map (GeoJSON)");
  init->callback([&context] {
    Options options;
    options.regions_file = init_args.regions;
    options.neighborhoods_file = init_args.neighborhoods;
    const std::vector<std::string> keys = Engine::Open(init_args.dir, options)->Regions();
    context.Print({{"dir", init_args.dir}, {"regions", keys}},
                  fmt::format("engine ready in {} with regions: {}", init_args.dir,
                              fmt::join(keys, ", ")));
  });

  static struct {
    std::string dir, nick;
  } user_args;
  auto* user = app.add_subcommand("user", "Create a user; prints its id and balance");
  user->add_option("DIR", user_args.dir, "Engine directory")->required();
  user->add_option("NICK", user_args.nick, "Nickname (1-30 characters)")->required();
  user->callback([&context] {
    const User created = context.Open(user_args.dir)->CreateUser(user_args.nick);
    context.Print(created, fmt::format("user {} created: id {}, balance {}", created.nickname,
                                       created.id, created.balance));
  });
}

}  // namespace dongne::cli
