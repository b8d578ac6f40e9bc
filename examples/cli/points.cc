// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne points DIR --user NICK [--limit N] [--cursor C]
// dongne close DIR --user NICK --question ID
// dongne purchase DIR --user NICK --points N --payment-id P
// dongne expire DIR [--now RFC3339]
// dongne verify DIR

#include <fmt/format.h>

#include "cli.h"
#include "dongne/error.h"

namespace dongne::cli {

void AddPointsCommands(CLI::App& app, Context& context) {
  static struct {
    std::string dir, user, cursor;
    int limit = 50;
  } points_args;
  auto* points = app.add_subcommand("points", "A user's balance and statement, newest first");
  points->add_option("DIR", points_args.dir, "Engine directory")->required();
  points->add_option("--user", points_args.user, "Nickname")->required();
  points->add_option("--limit", points_args.limit, "Entries per page (1-1000)");
  points->add_option("--cursor", points_args.cursor, "next_cursor of the previous page");
  points->callback([&context] {
    auto engine = context.Open(points_args.dir);
    const PointsStatement s =
        engine->Statement(UserId(*engine, points_args.user), points_args.limit, points_args.cursor);
    std::string text = fmt::format("balance {}\n", s.balance);
    for (const LedgerEntry& e : s.entries) {
      text += fmt::format("{:>+8}  {:<14} {}  {}\n", e.amount, e.kind, FormatRfc3339(e.at),
                          e.ref ? std::to_string(e.ref) : "");
    }
    if (!s.next_cursor.empty()) text += fmt::format("next: --cursor {}\n", s.next_cursor);
    text.pop_back();
    context.Print(s, text);
  });

  static struct {
    std::string dir, user;
    Id question = 0;
  } close_args;
  auto* close = app.add_subcommand("close", "Close your question; its bounty comes back");
  close->add_option("DIR", close_args.dir, "Engine directory")->required();
  close->add_option("--user", close_args.user, "The asker's nickname")->required();
  close->add_option("--question", close_args.question, "Question id")->required();
  close->callback([&context] {
    auto engine = context.Open(close_args.dir);
    const Question q = engine->Close(close_args.question, UserId(*engine, close_args.user));
    context.Print(q, QuestionLine(q));
  });

  static struct {
    std::string dir, user, payment_id;
    std::int64_t points = 0;
  } purchase_args;
  auto* purchase = app.add_subcommand("purchase", "Credit points bought with a payment");
  purchase->add_option("DIR", purchase_args.dir, "Engine directory")->required();
  purchase->add_option("--user", purchase_args.user, "Nickname")->required();
  purchase->add_option("--points", purchase_args.points, "Points bought")->required();
  purchase->add_option("--payment-id", purchase_args.payment_id,
                       "The payment's id: repeating it credits nothing")->required();
  purchase->callback([&context] {
    auto engine = context.Open(purchase_args.dir);
    const std::int64_t balance = engine->Purchase(UserId(*engine, purchase_args.user),
                                                  purchase_args.points, purchase_args.payment_id);
    context.Print(Json{{"balance", balance}}, fmt::format("balance {}", balance));
  });

  static struct {
    std::string dir, now;
  } expire_args;
  auto* expire = app.add_subcommand("expire", "Refund bounties past their expiry");
  expire->add_option("DIR", expire_args.dir, "Engine directory")->required();
  expire->add_option("--now", expire_args.now, "The time to expire at (RFC 3339); default now");
  expire->callback([&context] {
    auto engine = context.Open(expire_args.dir);
    const Timestamp now = expire_args.now.empty()
                              ? std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                              : ParseRfc3339(expire_args.now);
    const int closed = engine->Expire(now);
    context.Print(Json{{"closed", closed}}, fmt::format("{} questions closed, bounties refunded", closed));
  });

  static std::string verify_dir;
  auto* verify = app.add_subcommand("verify", "Audit the ledger against the shards; 0 = sound");
  verify->add_option("DIR", verify_dir, "Engine directory")->required();
  verify->callback([&context] {
    ProgressLine progress;
    const VerifyReport report = context.Open(verify_dir)->Verify([&](const VerifyProgress& p) {
      progress.Show(fmt::format("verify: {} of {} files", p.checked, p.total));
    });
    progress.Finish();
    std::string text = fmt::format(
        "{}: {} transactions, {} escrows held, {} events applied, {} questions",
        report.sound ? "sound" : "NOT SOUND", report.transactions, report.escrows_held,
        report.events_applied, report.questions);
    for (const std::string& problem : report.problems) text += "\n  " + problem;
    context.Print(report, text);
    if (!report.sound) {
      throw Corruption(fmt::format("verify found {} problems", report.problems.size()));
    }
  });
}

}  // namespace dongne::cli
