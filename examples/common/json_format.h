// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The JSON shapes of the hosts' contracts (docs/cli.md, docs/http.md) for the
// library's value types, as Json conversions; the question's is the
// library's own (dongne/json.h), as its GeoJSON prints it too. Shared by
// every host so the CLI and the HTTP API print the same objects.

#ifndef DONGNE_EXAMPLES_COMMON_JSON_FORMAT_H_
#define DONGNE_EXAMPLES_COMMON_JSON_FORMAT_H_

#include <nlohmann/json.hpp>

#include "dongne/error.h"
#include "dongne/json.h"
#include "dongne/nearby.h"
#include "dongne/search.h"
#include "dongne/types.h"

namespace dongne {

// Objects keep their keys in the order written, as the contracts list them.
using Json = nlohmann::ordered_json;

void to_json(Json& j, const User& user);
void to_json(Json& j, const Answer& answer);
void to_json(Json& j, const QuestionPage& page);
void to_json(Json& j, const ImportSummary& summary);
void to_json(Json& j, const LedgerEntry& entry);
void to_json(Json& j, const PointsStatement& statement);
void to_json(Json& j, const VerifyReport& report);
// The question's JSON plus "distance_m".
void to_json(Json& j, const NearbyHit& hit);
// {"hits":[…], "next_cursor":…}
void to_json(Json& j, const NearbyPage& page);
// {"text", "proximity", "distance", "freshness", "quality", "matched_terms"}
void to_json(Json& j, const ScoreExplanation& explain);

// {"error":{"code":"not_found","message":"…"}}
Json ErrorJson(std::string_view code, std::string_view message);
Json ErrorJson(const Error& error);

// Serialises with invalid UTF-8 replaced rather than thrown on: a message
// may quote bad input.
std::string Dump(const Json& j, int indent = -1);

}  // namespace dongne

#endif  // DONGNE_EXAMPLES_COMMON_JSON_FORMAT_H_
