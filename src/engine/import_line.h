// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// One line of the JSONL import format (docs/cli.md), parsed, validated and
// normalised as Engine::Ask and Engine::PostAnswer would. Pure: touches no
// file, so the fuzzer drives it directly.

#ifndef DONGNE_ENGINE_IMPORT_LINE_H_
#define DONGNE_ENGINE_IMPORT_LINE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "dongne/types.h"

namespace dongne::import {

inline constexpr std::size_t kMaxLineBytes = 1 << 20;

struct QuestionLine {
  Question question;
};
struct AnswerLine {
  Answer answer;
  std::string question_ext_id;
};
struct Line {
  std::int64_t number = 0;
  std::string author;
  std::variant<QuestionLine, AnswerLine> item;
  bool unchanged = false;  // its ext_id is stored already
};

// Parses line `number` of a file; InvalidArgument naming the field when it
// is not a valid question or answer. `now` is the default created_at.
Line ParseLine(std::string_view text, std::int64_t number, Timestamp now);

}  // namespace dongne::import

#endif  // DONGNE_ENGINE_IMPORT_LINE_H_
