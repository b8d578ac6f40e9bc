// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// JSONL import lines: any bytes give a valid, normalised line or
// InvalidArgument; never a crash or undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dongne/error.h"
#include "engine/import_line.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    dongne::import::ParseLine(std::string_view(reinterpret_cast<const char*>(data), size), 1,
                              dongne::Timestamp(std::chrono::seconds(1746057600)));
  } catch (const dongne::InvalidArgument&) {
  }
  return 0;
}
