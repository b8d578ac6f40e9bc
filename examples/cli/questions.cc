// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne ask | answer | accept | like | show | list

#include <fmt/format.h>

#include "cli.h"
#include "json_format.h"

namespace dongne::cli {
namespace {

const std::map<std::string, ListSort> kSorts = {{"recent", ListSort::kRecent},
                                                {"popular", ListSort::kPopular},
                                                {"urgent", ListSort::kUrgent},
                                                {"unanswered", ListSort::kUnanswered}};

std::string ShowText(const Question& q, const std::vector<Answer>& answers) {
  std::string text = QuestionLine(q) + "\n";
  std::string tags;
  for (const std::string& tag : q.hashtags) tags += " #" + tag;
  text += fmt::format("  {}{} · at {:.5f},{:.5f} · bounty {}\n", q.category, tags, q.location.lat,
                      q.location.lon, q.bounty);
  text += "  " + q.body + "\n";
  for (const Answer& a : answers) {
    text += fmt::format("  - {} {}{}: {}\n", a.id, a.author, a.accepted ? " (accepted)" : "",
                        a.body);
  }
  return text;
}

void AddAsk(CLI::App& app, Context& context) {
  static struct {
    std::string dir, user, title, body, category = "other";
    double lat = 0, lon = 0;
    std::vector<std::string> tags;
    bool urgent = false;
    std::int64_t bounty = 0;
  } args;
  auto* cmd = app.add_subcommand("ask", "Ask a question at a point");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--user", args.user, "Asker's nickname")->required();
  cmd->add_option("--title", args.title, "Title (1-200 characters)")->required();
  cmd->add_option("--body", args.body, "Body (1-20,000 characters)")->required();
  cmd->add_option("--lat", args.lat, "Latitude")->required();
  cmd->add_option("--lon", args.lon, "Longitude")->required();
  cmd->add_option("--category", args.category, "Category");
  cmd->add_option("--tag", args.tags, "Hashtag (repeatable)");
  cmd->add_flag("--urgent", args.urgent, "Mark as urgent");
  cmd->add_option("--bounty", args.bounty, "Points offered");
  cmd->callback([&context] {
    auto engine = context.Open(args.dir);
    const Question q = engine->Ask({.author = UserId(*engine, args.user),
                                    .title = args.title,
                                    .body = args.body,
                                    .location = {args.lat, args.lon},
                                    .category = args.category,
                                    .hashtags = args.tags,
                                    .urgent = args.urgent,
                                    .bounty = args.bounty});
    context.Print(q, "asked: " + QuestionLine(q));
  });
}

void AddAnswer(CLI::App& app, Context& context) {
  static struct {
    std::string dir, user, body;
    Id question = 0;
  } args;
  auto* cmd = app.add_subcommand("answer", "Answer a question");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--user", args.user, "Answerer's nickname")->required();
  cmd->add_option("--question", args.question, "Question id")->required();
  cmd->add_option("--body", args.body, "Answer (1-20,000 characters)")->required();
  cmd->callback([&context] {
    auto engine = context.Open(args.dir);
    const Answer a = engine->PostAnswer(
        {.question = args.question, .author = UserId(*engine, args.user), .body = args.body});
    context.Print(a, fmt::format("answer {} posted to question {}", a.id, a.question_id));
  });
}

void AddAccept(CLI::App& app, Context& context) {
  static struct {
    std::string dir, user;
    Id answer = 0;
  } args;
  auto* cmd = app.add_subcommand("accept", "Accept an answer to your question");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--user", args.user, "Asker's nickname")->required();
  cmd->add_option("--answer", args.answer, "Answer id")->required();
  cmd->callback([&context] {
    auto engine = context.Open(args.dir);
    const Answer a = engine->Accept(args.answer, UserId(*engine, args.user));
    context.Print(a, fmt::format("answer {} accepted for question {}", a.id, a.question_id));
  });
}

void AddLike(CLI::App& app, Context& context) {
  static struct {
    std::string dir, user;
    Id question = 0, answer = 0;
    bool undo = false;
  } args;
  auto* cmd = app.add_subcommand("like", "Like a question or an answer");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--user", args.user, "Nickname")->required();
  auto* question = cmd->add_option("--question", args.question, "Question id");
  auto* answer = cmd->add_option("--answer", args.answer, "Answer id");
  question->excludes(answer);
  cmd->add_flag("--undo", args.undo, "Withdraw the like");
  cmd->callback([&context, question, answer] {
    if (question->count() + answer->count() == 0) {
      throw CLI::RequiredError("--question or --answer");
    }
    auto engine = context.Open(args.dir);
    const Id user = UserId(*engine, args.user);
    // Engine::Like takes either kind of id: the option's kind is checked here.
    const Id target = question->count() ? args.question : args.answer;
    question->count() ? (void)engine->GetQuestion(target) : (void)engine->GetAnswer(target);
    const int likes = args.undo ? engine->Unlike(user, target) : engine->Like(user, target);
    context.Print({{"id", target}, {"likes", likes}}, fmt::format("{}: {} likes", target, likes));
  });
}

void AddShow(CLI::App& app, Context& context) {
  static struct {
    std::string dir;
    Id id = 0;
  } args;
  auto* cmd = app.add_subcommand("show", "Show a question with its answers");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("ID", args.id, "Question id")->required();
  cmd->callback([&context] {
    auto engine = context.Open(args.dir);
    const Question q = engine->GetQuestion(args.id);
    const std::vector<Answer> answers = engine->ListAnswers(args.id);
    Json j = q;
    j["answers"] = answers;
    context.Print(j, ShowText(q, answers));
  });
}

void AddList(CLI::App& app, Context& context) {
  static struct {
    std::string dir;
    ListOptions options;
  } args;
  auto* cmd = app.add_subcommand("list", "List questions");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--region", args.options.region, "Region (shard key)");
  cmd->add_option("--category", args.options.category, "Category");
  cmd->add_option("--tag", args.options.tag, "Hashtag");
  cmd->add_option("--sort", args.options.sort, "recent|popular|urgent|unanswered")
      ->transform(CLI::CheckedTransformer(kSorts, CLI::ignore_case));
  cmd->add_option("--limit", args.options.limit, "Questions per page (1-1000)");
  cmd->add_option("--cursor", args.options.cursor, "next_cursor of the previous page");
  cmd->callback([&context] {
    const QuestionPage page = context.Open(args.dir)->List(args.options);
    std::string text;
    for (const Question& q : page.questions) text += QuestionLine(q) + "\n";
    if (!page.next_cursor.empty()) text += "next: --cursor " + page.next_cursor + "\n";
    context.Print(page, text.empty() ? "no questions" : text);
  });
}

}  // namespace

void AddQuestionCommands(CLI::App& app, Context& context) {
  AddAsk(app, context);
  AddAnswer(app, context);
  AddAccept(app, context);
  AddLike(app, context);
  AddShow(app, context);
  AddList(app, context);
}

}  // namespace dongne::cli
