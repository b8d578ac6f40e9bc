// Copyright (c) libdongne authors. Licensed under the MIT license.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <unistd.h>

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

void RequireReadableFile(const std::string& path) {
  if (std::filesystem::is_directory(path) || !std::ifstream(path)) {
    throw NotFound(fmt::format("cannot read {}", path));
  }
}

Id UserId(Engine& engine, const std::string& nickname) { return engine.FindUser(nickname).id; }

namespace {
constexpr std::chrono::seconds kLogProgressEvery{2};
}  // namespace

ProgressLine::ProgressLine() : terminal_(isatty(STDERR_FILENO) == 1) {}

void ProgressLine::Show(std::string text) {
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    std::cerr << '\r' << text << std::flush;
  } else if (text == written_) {
    held_.clear();
  } else if (!shown_any_ || now - written_at_ >= kLogProgressEvery) {
    std::cerr << text << '\n';
    written_at_ = now;
    written_ = std::move(text);
    held_.clear();
  } else {
    held_ = std::move(text);
  }
  shown_any_ = true;
}

void ProgressLine::Finish() {
  if (terminal_ && shown_any_) std::cerr << '\n';
  if (!held_.empty()) std::cerr << held_ << '\n';
  shown_any_ = false;
  held_.clear();
  written_.clear();
}

std::string QuestionLine(const Question& q) {
  const std::string place =
      q.neighborhood.empty() ? q.region : fmt::format("{}/{}", q.region, q.neighborhood);
  return fmt::format("{}  [{}] {}  ({}, {}, {} answer{}, {} like{}{}, {})", q.id, place,
                     q.title, q.author, QuestionStatusName(q.status), q.answer_count,
                     q.answer_count == 1 ? "" : "s", q.likes, q.likes == 1 ? "" : "s",
                     q.urgent ? ", urgent" : "", FormatRfc3339(q.created_at));
}

}  // namespace dongne::cli
