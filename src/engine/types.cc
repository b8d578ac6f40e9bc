// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "dongne/types.h"

#include "dongne/error.h"

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

QuestionStatus ParseQuestionStatus(std::string_view name) {
  for (QuestionStatus status : {QuestionStatus::kOpen, QuestionStatus::kAnswered,
                                QuestionStatus::kAccepted, QuestionStatus::kClosed}) {
    if (name == QuestionStatusName(status)) return status;
  }
  throw InvalidArgument("status must be open, answered, accepted or closed");
}

}  // namespace dongne
