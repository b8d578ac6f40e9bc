// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne import DIR FILE.jsonl — progress and bad lines on stderr, the
// summary last on stdout. A DIR without an engine gets one on the built-in
// region map, as `dongne init DIR` would make, once FILE is known to be
// readable: a mistyped file name leaves nothing behind.

#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "json_format.h"

namespace dongne::cli {

void AddImportCommand(CLI::App& app, Context& context) {
  static struct {
    std::string dir, file;
  } args;
  auto* cmd = app.add_subcommand("import", "Import questions and answers from JSONL");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("FILE", args.file, "JSONL file")->required();
  cmd->callback([&context] {
    RequireReadableFile(args.file);
    ProgressLine progress;
    const ImportSummary summary =
        context.Open(args.dir, /*create=*/true)->Import(args.file, [&](const ImportProgress& p) {
          const double percent = p.total_bytes ? 100.0 * p.bytes / p.total_bytes : 0;
          progress.Show(fmt::format("import: {} lines ({:.0f}%)", p.lines, percent));
        });
    progress.Finish();
    for (const ImportError& e : summary.first_errors) {
      std::cerr << fmt::format("line {}: {}\n", e.line, e.message);
    }
    if (summary.errors > static_cast<std::int64_t>(summary.first_errors.size())) {
      std::cerr << fmt::format("… and {} more bad lines\n",
                               summary.errors - summary.first_errors.size());
    }
    // The summary is JSON with or without --json (DESIGN.md, docs/cli.md):
    // scripts read its last line.
    std::cout << Dump(Json(summary)) << '\n';
  });
}

}  // namespace dongne::cli
