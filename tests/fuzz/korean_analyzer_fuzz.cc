// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The Korean analyzer on any bytes: tokens stay inside the input and every
// stem's bigrams are computed without a crash. (Callers validate UTF-8
// first; the analyzer must still not misbehave on broken input.)

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "text/korean_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const dongne::text::Token& token : dongne::text::Tokenize(text)) {
    if (token.begin > token.end || token.end > size) std::abort();
    if (token.hangul) dongne::text::Bigrams(token.stem);
    dongne::text::StripEnding(token.stem);
  }
  return 0;
}
