// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// `dongne`: the command-line host (docs/cli.md). Exit codes: 0 success,
// 2 usage error, 3 invalid input, 4 not found, 5 refused (not allowed,
// insufficient points, conflict), 1 anything else. With --json a failure
// also prints {"error":{"code":…,"message":…}} on stderr.

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

#include "cli.h"
#include "dongne/error.h"
#include "json_format.h"

namespace {

int ExitCode(dongne::ErrorCode code) {
  switch (code) {
    case dongne::ErrorCode::kInvalidArgument: return 3;
    case dongne::ErrorCode::kNotFound: return 4;
    case dongne::ErrorCode::kRefused:
    case dongne::ErrorCode::kInsufficientPoints:
    case dongne::ErrorCode::kConflict: return 5;
    case dongne::ErrorCode::kCorruption:
    case dongne::ErrorCode::kIOError: return 1;
  }
  return 1;
}

// `message` safe to print on a terminal: a path or an argument in it may
// hold invalid UTF-8 or an escape sequence, shown as U+FFFD.
std::string ForTerminal(std::string_view message) {
  // A JSON round trip replaces invalid UTF-8.
  const std::string valid =
      dongne::Json::parse(dongne::Dump(dongne::Json(std::string(message)))).get<std::string>();
  std::string out;
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto byte = static_cast<unsigned char>(valid[i]);
    const bool c1 = byte == 0xC2 && i + 1 < valid.size() &&
                    static_cast<unsigned char>(valid[i + 1]) < 0xA0;  // U+0080-U+009F
    if (byte < 0x20 || byte == 0x7F || c1) {
      out += "\uFFFD";
      i += c1 ? 1 : 0;
    } else {
      out += valid[i];
    }
  }
  return out;
}

int Fail(const dongne::cli::Context& context, int exit_code, std::string_view code,
         std::string_view message) {
  if (context.json) {
    std::cerr << dongne::Dump(dongne::ErrorJson(code, message)) << '\n';
  } else {
    std::cerr << "dongne: " << ForTerminal(message) << '\n';
  }
  return exit_code;
}

// CLI11 clamps an integer too large for its type (`show DIR
// 99999999999999999999` looked up question 9223372036854775807): a run of
// digits must fit in 64 bits.
const CLI::Validator kFitsInt64(
    [](std::string& value) -> std::string {
      std::string_view text = value;
      if (text.starts_with('+')) text.remove_prefix(1);
      const std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return "";  // not a plain integer: CLI11's own conversion judges it
      }
      std::int64_t parsed;
      const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
      return result.ec == std::errc::result_out_of_range ? value + " is out of range" : "";
    },
    "", "INT64");

// CLI11 reads "nan" and "inf" as numbers, which its range checks let
// through (`serve --writes-per-minute nan` turned rate limiting off). Options
// without such a check go to the engine, whose checks refuse them as
// invalid input (exit 3).
const CLI::Validator kFinite(
    [](std::string& value) -> std::string {
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || std::isfinite(number)) return "";
      return value + " is not a finite number";
    },
    "", "FINITE");

// CLI11 reads an empty value as 0 for a number option (`--lat ""` stored a
// question at latitude 0): every number option must be given a number.
void RequireNumbers(CLI::App& app) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    for (CLI::Option* option : command->get_options([](CLI::Option*) { return true; })) {
      // The name, before any check's description ("INT:INT in [1 - 1024]").
      const std::string described = option->get_type_name();
      const std::string type = described.substr(0, described.find(':'));
      if (type == "FLOAT" || type == "INT" || type == "UINT") option->check(CLI::Number);
      if (type == "FLOAT" && type != described) option->check(kFinite);
      if (type == "INT" || type == "UINT") option->check(kFitsInt64);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  dongne::cli::Context context;
  CLI::App app("dongne: a location-based question-and-answer engine", "dongne");
  app.require_subcommand(1);
  app.fallthrough();  // --json may follow the subcommand
  app.add_flag("--json", context.json, "Print results and errors as JSON");
  dongne::cli::AddUserCommands(app, context);
  dongne::cli::AddQuestionCommands(app, context);
  dongne::cli::AddImportCommand(app, context);
  dongne::cli::AddPointsCommands(app, context);
  dongne::cli::AddServeCommand(app, context);
  dongne::cli::AddNearbyCommand(app, context);
  dongne::cli::AddSearchCommands(app, context);
  RequireNumbers(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // CLI11 takes an unknown command for an extra argument, then says "A
    // subcommand is required".
    if (app.get_subcommands().empty() && !app.remaining().empty()) {
      return Fail(context, 2, "usage",
                  "unknown command \"" + app.remaining().front() +
                      "\"; `dongne --help` lists the commands");
    }
    return Fail(context, 2, "usage", e.what());
  } catch (const dongne::Error& e) {
    return Fail(context, ExitCode(e.code()), dongne::ErrorCodeName(e.code()), e.what());
  } catch (const std::exception& e) {
    return Fail(context, 1, "internal", e.what());
  }
  return 0;
}
