// Copyright (c) libdongne authors. Licensed under the MIT license.

#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "json_format.h"

namespace dongne::cli {

std::unique_ptr<Engine> Context::Open(const std::string& dir, bool create) const {
  Options options;
  options.create_if_missing = create;
  return Engine::Open(dir, options);
}

void Context::Print(const Json& value, const std::string& text) const {
  if (json) {
    std::cout << Dump(value) << '\n';
  } else if (!text.empty()) {
    std::cout << text << (text.back() == '\n' ? "" : "\n");
  }
}

Id UserId(Engine& engine, const std::string& nickname) { return engine.FindUser(nickname).id; }

std::string QuestionLine(const Question& q) {
  const std::string place =
      q.neighborhood.empty() ? q.region : fmt::format("{}/{}", q.region, q.neighborhood);
  return fmt::format("{}  [{}] {}  ({}, {}, {} answer{}, {} like{}{}, {})", q.id, place,
                     q.title, q.author, QuestionStatusName(q.status), q.answer_count,
                     q.answer_count == 1 ? "" : "s", q.likes, q.likes == 1 ? "" : "s",
                     q.urgent ? ", urgent" : "", FormatRfc3339(q.created_at));
}

}  // namespace dongne::cli
