// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "dongne/error.h"

namespace dongne {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kRefused: return "refused";
    case ErrorCode::kInsufficientPoints: return "insufficient_points";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kIOError: return "io_error";
  }
  return "error";
}

}  // namespace dongne
