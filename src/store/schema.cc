// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "store/schema.h"

#include <fmt/format.h>

#include "dongne/error.h"

namespace dongne::store {

int SchemaVersion(Database& db) {
  auto st = db.Prepare("PRAGMA user_version");
  st->Step();
  return static_cast<int>(st->Int(0));
}

void Migrate(Database& db, std::span<const std::string_view> steps, std::string_view what) {
  const int latest = static_cast<int>(steps.size());
  int version = SchemaVersion(db);
  if (version > latest) {
    throw Refused(fmt::format(
        "{} was written by a newer libdongne (schema version {}; this build reads up "
        "to {}): open it with a newer libdongne",
        what, version, latest));
  }
  while (version < latest) {
    Transaction txn(db);
    // Re-read inside the transaction: another process may have migrated.
    version = SchemaVersion(db);
    if (version >= latest) break;
    if (version == 0) {
      // A new file is empty; one with tables but no version is someone
      // else's database, which the first step would otherwise write into.
      auto tables = db.Prepare("SELECT COUNT(*) FROM sqlite_master");
      tables->Step();
      const bool foreign = tables->Int(0) > 0;
      tables->Reset();
      if (foreign) {
        throw Corruption(fmt::format(
            "{} holds another program's tables: it is not a libdongne file", what));
      }
    }
    db.Exec(steps[version]);
    db.Exec(fmt::format("PRAGMA user_version = {}", version + 1));
    txn.Commit();
    ++version;
  }
}

}  // namespace dongne::store
