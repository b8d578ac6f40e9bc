// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The question as a JSON object, the shape docs/cli.md gives: for hosts that
// use nlohmann/json (`Json j = question;` finds this by argument-dependent
// lookup), and for NearbyGeoJson, whose features carry the same fields. It
// is a template over the JSON type, so this header needs no JSON library of
// its own and works with nlohmann::json and nlohmann::ordered_json alike.

#ifndef DONGNE_JSON_H_
#define DONGNE_JSON_H_

#include "dongne/types.h"

namespace dongne {

template <typename Json>
void to_json(Json& j, const Question& q) {
  const auto null_if_empty = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  j = {{"id", q.id},
       {"ext_id", null_if_empty(q.ext_id)},
       {"region", q.region},
       {"neighborhood", null_if_empty(q.neighborhood)},
       {"title", q.title},
       {"body", q.body},
       {"author", q.author},
       {"author_id", q.author_id},
       {"lat", q.location.lat},
       {"lon", q.location.lon},
       {"category", q.category},
       {"hashtags", q.hashtags},
       {"urgent", q.urgent},
       {"bounty", q.bounty},
       {"status", QuestionStatusName(q.status)},
       {"answer_count", q.answer_count},
       {"accepted_answer", q.accepted_answer ? Json(*q.accepted_answer) : Json(nullptr)},
       {"likes", q.likes},
       {"created_at", FormatRfc3339(q.created_at)}};
}

}  // namespace dongne

#endif  // DONGNE_JSON_H_
