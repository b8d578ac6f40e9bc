// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Schema versions and migrations of a SQLite file, kept in PRAGMA user_version.

#ifndef DONGNE_STORE_SCHEMA_H_
#define DONGNE_STORE_SCHEMA_H_

#include <span>
#include <string_view>

#include "store/sqlite.h"

namespace dongne::store {

// The schema version of `db` (0: an empty file).
int SchemaVersion(Database& db);

// Brings `db` to version steps.size(): steps[v] is the SQL that takes version
// v to v + 1 (steps[0] creates the schema in an empty file). Each step runs in
// one transaction together with its version bump, so a crash leaves the file
// at a whole version. A file at a newer version than this library knows is
// Refused, naming both versions; `what` names the file for messages.
void Migrate(Database& db, std::span<const std::string_view> steps, std::string_view what);

}  // namespace dongne::store

#endif  // DONGNE_STORE_SCHEMA_H_
