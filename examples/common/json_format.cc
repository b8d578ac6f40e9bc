// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "json_format.h"

namespace dongne {
namespace {

Json NullIfEmpty(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

}  // namespace

void to_json(Json& j, const User& user) {
  j = {{"id", user.id},
       {"nickname", user.nickname},
       {"balance", user.balance},
       {"created_at", FormatRfc3339(user.created_at)}};
}

void to_json(Json& j, const LedgerEntry& e) {
  j = {{"amount", e.amount}, {"kind", e.kind}, {"ref", e.ref ? Json(e.ref) : Json(nullptr)},
       {"at", FormatRfc3339(e.at)}};
}

void to_json(Json& j, const PointsStatement& s) {
  j = {{"balance", s.balance}, {"entries", s.entries}, {"next_cursor", NullIfEmpty(s.next_cursor)}};
}

void to_json(Json& j, const VerifyReport& r) {
  j = {{"sound", r.sound},
       {"problems", r.problems},
       {"transactions", r.transactions},
       {"escrows_held", r.escrows_held},
       {"events_applied", r.events_applied},
       {"questions", r.questions}};
}

void to_json(Json& j, const Answer& a) {
  j = {{"id", a.id},
       {"question_id", a.question_id},
       {"ext_id", NullIfEmpty(a.ext_id)},
       {"author", a.author},
       {"author_id", a.author_id},
       {"body", a.body},
       {"accepted", a.accepted},
       {"likes", a.likes},
       {"created_at", FormatRfc3339(a.created_at)}};
}

void to_json(Json& j, const QuestionPage& page) {
  j = {{"questions", page.questions}, {"next_cursor", NullIfEmpty(page.next_cursor)}};
}

void to_json(Json& j, const ImportSummary& s) {
  Json errors = Json::array();
  for (const ImportError& e : s.first_errors) {
    errors.push_back({{"line", e.line}, {"message", e.message}});
  }
  j = {{"lines", s.lines},
       {"questions_added", s.questions_added},
       {"answers_added", s.answers_added},
       {"unchanged", s.unchanged},
       {"errors", s.errors},
       {"first_errors", errors},
       {"seconds", s.seconds}};
}

void to_json(Json& j, const NearbyHit& hit) {
  j = hit.question;
  j["distance_m"] = hit.distance_m;
}

void to_json(Json& j, const NearbyPage& page) {
  j = {{"hits", page.hits}, {"next_cursor", NullIfEmpty(page.next_cursor)}};
}

void to_json(Json& j, const ScoreExplanation& explain) {
  j = {{"text", explain.text},
       {"proximity", explain.proximity},
       {"distance", explain.distance},
       {"freshness", explain.freshness},
       {"quality", explain.quality},
       {"matched_terms", explain.matched_terms}};
}

Json ErrorJson(std::string_view code, std::string_view message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

Json ErrorJson(const Error& error) {
  return ErrorJson(ErrorCodeName(error.code()), error.what());
}

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dongne
