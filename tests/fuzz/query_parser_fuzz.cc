// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The lenient search query reader: any text parses, never throws.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "search/query_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dongne::search::ParseQuery(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
