// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/import_line.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "dongne/error.h"
#include "engine/validate.h"

namespace dongne::import {
namespace {

using nlohmann::json;

// Authors of lines that name none, such as imported reference passages.
constexpr std::string_view kAnonymousAuthor = "익명";

const json* Field(const json& object, std::string_view name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string String(const json& object, std::string_view name, bool required) {
  const json* value = Field(object, name);
  if (!value) {
    if (required) throw InvalidArgument(fmt::format("\"{}\" is missing", name));
    return {};
  }
  if (!value->is_string()) throw InvalidArgument(fmt::format("\"{}\" is not a string", name));
  return value->get<std::string>();
}

// An external id: a string, or an integer as its decimal digits (datasets
// often number their rows); a fraction, a boolean or anything else is
// refused rather than guessed at.
std::string ExtIdField(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (value && value->is_number_integer()) {
    return value->is_number_unsigned() ? std::to_string(value->get<std::uint64_t>())
                                       : std::to_string(value->get<std::int64_t>());
  }
  if (value && !value->is_string()) {
    throw InvalidArgument(fmt::format("\"{}\" is not a string or an integer", name));
  }
  std::string ext_id = validate::ExtId(String(object, name, true));
  // Empty is "none" to Ask, but an import line needs one: it is what makes
  // importing a file twice change nothing.
  if (ext_id.empty()) throw InvalidArgument(fmt::format("\"{}\" is empty", name));
  return ext_id;
}

double Number(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (!value) throw InvalidArgument(fmt::format("\"{}\" is missing", name));
  if (!value->is_number()) throw InvalidArgument(fmt::format("\"{}\" is not a number", name));
  return value->get<double>();
}

std::int64_t Integer(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (!value) return 0;
  if (value->is_number_unsigned() && value->get<std::uint64_t>() > INT64_MAX) {
    throw InvalidArgument(fmt::format("\"{}\" is out of range", name));
  }
  if (value->is_number_integer()) return value->get<std::int64_t>();
  if (value->is_number_float()) {
    // Whole floats within range only: casting anything else is undefined.
    const double d = value->get<double>();
    if (std::abs(d) < 9.0e18 && d == std::trunc(d)) return static_cast<std::int64_t>(d);
  }
  throw InvalidArgument(fmt::format("\"{}\" is not an integer", name));
}

bool Boolean(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (!value) return false;
  if (!value->is_boolean()) throw InvalidArgument(fmt::format("\"{}\" is not true or false", name));
  return value->get<bool>();
}

std::optional<Timestamp> Time(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (!value) return std::nullopt;
  if (value->is_string()) return validate::Time(ParseRfc3339(value->get<std::string>()), name);
  if (value->is_number_integer()) {  // beyond int64 it is out of range, not wrapped
    return validate::Time(Timestamp(std::chrono::seconds(Integer(object, name))), name);
  }
  throw InvalidArgument(fmt::format("\"{}\" is not an RFC 3339 time", name));
}

std::vector<std::string> Strings(const json& object, std::string_view name) {
  const json* value = Field(object, name);
  if (!value) return {};
  if (!value->is_array()) throw InvalidArgument(fmt::format("\"{}\" is not an array", name));
  if (value->size() > 100) throw InvalidArgument(fmt::format("\"{}\" has {} items", name, value->size()));
  std::vector<std::string> items;
  for (const json& item : *value) {
    if (!item.is_string()) throw InvalidArgument(fmt::format("\"{}\" holds a non-string", name));
    items.push_back(item.get<std::string>());
  }
  return items;
}

}  // namespace

Line ParseLine(std::string_view text, std::int64_t number, Timestamp now) {
  if (text.size() > kMaxLineBytes) {
    throw InvalidArgument(fmt::format("line is longer than {} bytes", kMaxLineBytes));
  }
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) throw InvalidArgument("not valid JSON");
  if (!object.is_object()) throw InvalidArgument("not a JSON object");

  Line line;
  line.number = number;
  const std::string author = String(object, "author", false);
  line.author = validate::Nickname(author.empty() ? kAnonymousAuthor : author);
  std::string type = String(object, "type", false);
  if (type.empty()) type = Field(object, "question_ext_id") ? "answer" : "question";
  const std::string ext_id = ExtIdField(object, "ext_id");

  if (type == "question") {
    Question q;
    q.ext_id = ext_id;
    q.title = validate::Text(String(object, "title", true), "title", validate::kMaxTitle, false);
    q.body = validate::Text(String(object, "body", true), "body", validate::kMaxBody, true);
    q.location = {Number(object, "lat"), Number(object, "lon")};
    validate::Location(q.location);
    q.category = validate::Category(String(object, "category", false));
    q.hashtags = validate::Hashtags(Strings(object, "hashtags"));
    q.urgent = Boolean(object, "urgent");
    q.bounty = Integer(object, "bounty");
    validate::Bounty(q.bounty);
    q.created_at = Time(object, "created_at").value_or(now);
    line.item = QuestionLine{std::move(q)};
  } else if (type == "answer") {
    AnswerLine a;
    a.answer.ext_id = ext_id;
    a.question_ext_id = ExtIdField(object, "question_ext_id");
    a.answer.body = validate::Text(String(object, "body", true), "body", validate::kMaxBody, true);
    a.answer.accepted = Boolean(object, "accepted");
    a.answer.created_at = Time(object, "created_at").value_or(now);
    line.item = std::move(a);
  } else {
    throw InvalidArgument(fmt::format("\"type\" must be \"question\" or \"answer\""));
  }
  return line;
}

}  // namespace dongne::import
