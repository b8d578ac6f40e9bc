// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "dongne/types.h"

namespace dongne {

std::string_view QuestionStatusName(QuestionStatus status) {
  switch (status) {
    case QuestionStatus::kOpen: return "open";
    case QuestionStatus::kAnswered: return "answered";
    case QuestionStatus::kAccepted: return "accepted";
    case QuestionStatus::kClosed: return "closed";
  }
  return "open";
}

}  // namespace dongne
