// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/list_cursor.h"

#include <fmt/format.h>

#include <charconv>

#include "dongne/error.h"
#include "text/unicode.h"

namespace dongne {
namespace {

char SortLetter(ListSort sort) {
  switch (sort) {
    case ListSort::kRecent: return 'r';
    case ListSort::kPopular: return 'p';
    case ListSort::kUrgent: return 'u';
    case ListSort::kUnanswered: return 'a';
  }
  return 'r';
}

// Reads the decimal integer at the front of `rest` and moves past it and the
// '.' that follows, if any.
bool ReadField(std::string_view& rest, std::int64_t& value) {
  const std::size_t dot = rest.find('.');
  const std::string_view field = rest.substr(0, dot);
  const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || ec != std::errc() || ptr != field.data() + field.size()) return false;
  rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  return true;
}

}  // namespace

std::string EncodeListCursor(ListSort sort, const store::ListKey& key) {
  return fmt::format("{}{}.{}.{}", SortLetter(sort), key.primary, key.created_at, key.id);
}

std::optional<store::ListKey> DecodeListCursor(ListSort sort, std::string_view cursor) {
  if (cursor.empty()) return std::nullopt;
  store::ListKey key;
  std::string_view rest = cursor.substr(1);
  if (cursor.size() > 64 || !ReadField(rest, key.primary) || !ReadField(rest, key.created_at) ||
      !ReadField(rest, key.id) || !rest.empty()) {
    throw InvalidArgument(
        fmt::format("cursor \"{}\" is not one this engine issued", text::Printable(cursor)));
  }
  if (cursor.front() != SortLetter(sort)) {
    throw InvalidArgument(fmt::format("cursor \"{}\" belongs to another sort order",
                                      text::Printable(cursor)));
  }
  return key;
}

}  // namespace dongne
