// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// What the `dongne` commands share: the global flags, opening the engine,
// printing results as JSON or text. Each command family registers its
// subcommands from its own file.

#ifndef DONGNE_EXAMPLES_CLI_CLI_H_
#define DONGNE_EXAMPLES_CLI_CLI_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "dongne/engine.h"
#include "json_format.h"

namespace dongne::cli {

struct Context {
  bool json = false;  // --json: one JSON object per result on stdout

  // Opens the engine in `dir`, which must exist (NotFound otherwise), or
  // with `create`, creates one there on the built-in region map.
  std::unique_ptr<Engine> Open(const std::string& dir, bool create = false) const;

  // Prints `value` as one JSON line with --json, else `text` (if not empty).
  void Print(const Json& value, const std::string& text) const;
};

// Resolves --user NICK to a user id.
Id UserId(Engine& engine, const std::string& nickname);

// A question in one line of text, for listings.
std::string QuestionLine(const Question& q);

void AddUserCommands(CLI::App& app, Context& context);
void AddQuestionCommands(CLI::App& app, Context& context);
void AddImportCommand(CLI::App& app, Context& context);
void AddPointsCommands(CLI::App& app, Context& context);
void AddServeCommand(CLI::App& app, Context& context);
void AddNearbyCommand(CLI::App& app, Context& context);
void AddSearchCommands(CLI::App& app, Context& context);

}  // namespace dongne::cli

#endif  // DONGNE_EXAMPLES_CLI_CLI_H_
