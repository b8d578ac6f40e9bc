// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// What the `dongne` commands share: the global flags, opening the engine,
// printing results as JSON or text. Each command family registers its
// subcommands from its own file.

#ifndef DONGNE_EXAMPLES_CLI_CLI_H_
#define DONGNE_EXAMPLES_CLI_CLI_H_

#include <CLI/CLI.hpp>
#include <chrono>
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

// Progress of long work (import, reindex, verify) on stderr. On a terminal
// the line is redrawn in place. In a log or a pipe, where carriage returns
// would make thousands of reports one line, a report is written as its own
// line at most every few seconds, and the last one when the work ends.
class ProgressLine {
 public:
  ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { Finish(); }

  void Show(std::string text);
  // Ends the line (writing the last report if it was held back); before the
  // result is printed.
  void Finish();

 private:
  const bool terminal_;
  bool shown_any_ = false;
  std::string held_;     // the latest report not yet written (log mode)
  std::string written_;  // the last report written (log mode)
  std::chrono::steady_clock::time_point written_at_;
};

// Throws NotFound unless `path` is a file that can be opened for reading (a
// directory opens, then fails at the first read).
void RequireReadableFile(const std::string& path);

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
