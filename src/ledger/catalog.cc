// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "ledger/catalog.h"

#include <fmt/format.h>

#include "dongne/error.h"
#include "ledger/ledger.h"
#include "store/schema.h"
#include "text/unicode.h"

namespace dongne::ledger {
namespace {

// steps[v] takes catalog.db from schema version v to v + 1.
constexpr std::string_view kSchemaSteps[] = {
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE users(
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  nickname      TEXT NOT NULL UNIQUE,  -- NFC
  lookalike_key TEXT NOT NULL UNIQUE,  -- text::LookalikeKey(nickname)
  created_at    INTEGER NOT NULL
);
CREATE TABLE shards(
  no            INTEGER PRIMARY KEY CHECK (no BETWEEN 1 AND 4095),
  key           TEXT NOT NULL UNIQUE,
  next_question INTEGER NOT NULL DEFAULT 1,  -- next unallocated sequence
  next_answer   INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
);
CREATE TABLE ext_ids(
  kind   INTEGER NOT NULL,  -- 0 question, 1 answer
  ext_id TEXT NOT NULL,
  id     INTEGER NOT NULL,
  PRIMARY KEY (kind, ext_id)
) WITHOUT ROWID;
-- The point ledger (ledger.h). Accounts: a user's wallet is the user's id;
-- system accounts are negative (ledger::Account).
CREATE TABLE ledger_txns(
  id     INTEGER PRIMARY KEY,
  op_key TEXT NOT NULL UNIQUE,  -- idempotency: a repeated operation finds its first txn
  ref    INTEGER NOT NULL,      -- the question or answer it was for; 0 when none
  reason TEXT NOT NULL,
  at     INTEGER NOT NULL
);
CREATE TABLE ledger_entries(  -- append-only; each txn's entries sum to zero
  id      INTEGER PRIMARY KEY,
  txn_id  INTEGER NOT NULL REFERENCES ledger_txns(id),
  account INTEGER NOT NULL,
  amount  INTEGER NOT NULL,
  kind    TEXT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries(account, id);
CREATE TABLE balances(account INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
CREATE TABLE escrows(
  question_id INTEGER PRIMARY KEY,
  asker       INTEGER NOT NULL,
  amount      INTEGER NOT NULL,  -- the bounty held
  fee         INTEGER NOT NULL,  -- the urgent fee charged with it
  state       TEXT NOT NULL CHECK (state IN ('held', 'paid', 'refunded')),
  created_at  INTEGER NOT NULL
);
CREATE INDEX escrows_held ON escrows(state, created_at);
-- Shard events applied here, each once, in the transaction of its effect.
CREATE TABLE applied_events(event_id TEXT PRIMARY KEY, txn_id INTEGER NOT NULL) WITHOUT ROWID;
)sql",
    // v2: verified home neighbourhoods (동네 인증), one per user.
    R"sql(
CREATE TABLE homes(
  user_id      INTEGER PRIMARY KEY REFERENCES users(id),
  neighborhood TEXT NOT NULL,     -- neighbourhood map name, else region key
  lat          REAL NOT NULL,
  lon          REAL NOT NULL,
  verified_at  INTEGER NOT NULL   -- Unix seconds
);
CREATE INDEX homes_lat ON homes(lat);
)sql",
    // v3: how far Recover has checked each shard's escrows (EscrowsToCheck).
    R"sql(
ALTER TABLE shards ADD COLUMN escrows_checked_below INTEGER NOT NULL DEFAULT 1;
)sql",
};

std::int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }

User ReadUser(const store::Statement& st) {
  User u;
  u.id = st.Int(0);
  u.nickname = st.Text(1);
  u.created_at = Timestamp(std::chrono::seconds(st.Int(2)));
  u.balance = st.Int(3);
  return u;
}

std::optional<User> SelectUserBy(store::Database& db, std::string_view where,
                                 const auto& value) {
  auto st = db.Prepare(fmt::format(
      "SELECT id, nickname, created_at, IFNULL((SELECT balance FROM balances WHERE account = id), 0) "
      "FROM users WHERE {} = ?",
      where));
  st->BindAll(value);
  if (!st->Step()) return std::nullopt;
  return ReadUser(*st);
}

std::optional<Id> SelectExtId(store::Database& db, IdKind kind, std::string_view ext_id) {
  auto st = db.Prepare("SELECT id FROM ext_ids WHERE kind = ? AND ext_id = ?");
  st->BindAll(static_cast<int>(kind), ext_id);
  if (!st->Step()) return std::nullopt;
  return st->Int(0);
}

constexpr std::string_view kHomeColumns = "user_id, neighborhood, lat, lon, verified_at";

Home ReadHome(const store::Statement& st) {
  return Home{.user = st.Int(0),
              .neighborhood = st.Text(1),
              .location = {st.Double(2), st.Double(3)},
              .verified_at = Timestamp(std::chrono::seconds(st.Int(4)))};
}

}  // namespace

Catalog::Catalog(const std::filesystem::path& file, const store::Database::Config& config,
                 std::int64_t signup_bonus)
    : pool_(file, config), signup_bonus_(signup_bonus) {
  auto db = pool_.Write();
  store::Migrate(*db, kSchemaSteps, file.string());
}

// --- Txn ----------------------------------------------------------------------

User Catalog::Txn::CreateUser(std::string_view nickname, Timestamp now) {
  const std::string key = text::LookalikeKey(nickname);
  auto taken = db().Prepare("SELECT nickname FROM users WHERE nickname = ? OR lookalike_key = ?");
  taken->BindAll(nickname, key);
  if (taken->Step()) {
    const std::string existing = taken->Text(0);
    if (existing == nickname) {
      throw Conflict(fmt::format("nickname \"{}\" is taken", nickname));
    }
    throw Conflict(fmt::format("nickname \"{}\" looks the same as the taken \"{}\"", nickname,
                               existing));
  }
  db().Prepare("INSERT INTO users(nickname, lookalike_key, created_at) VALUES (?, ?, ?)")
      ->BindAll(nickname, key, Seconds(now))
      .Run();
  User user{.id = db().LastInsertRowId(), .nickname = std::string(nickname), .created_at = now};
  if (signup_bonus_ > 0) {
    const Entry entries[] = {{kIssuance, -signup_bonus_, "signup_bonus"},
                             {user.id, signup_bonus_, "signup_bonus"}};
    Post(db(), fmt::format("signup:{}", user.id), 0, "sign-up bonus", now, entries);
    user.balance = signup_bonus_;
  }
  return user;
}

Id Catalog::Txn::EnsureUser(std::string_view nickname, Timestamp now) {
  if (auto user = SelectUserBy(db(), "nickname", nickname)) return user->id;
  return CreateUser(nickname, now).id;
}

ShardInfo Catalog::Txn::RegisterShard(std::string_view key, Timestamp now) {
  auto find = db().Prepare("SELECT no FROM shards WHERE key = ?");
  find->BindAll(key);
  if (find->Step()) return ShardInfo{static_cast<int>(find->Int(0)), std::string(key)};
  find->Reset();
  auto next = db().Prepare("SELECT IFNULL(MAX(no), 0) + 1 FROM shards");
  next->Step();
  const int no = static_cast<int>(next->Int(0));
  next->Reset();
  if (no > kMaxShards) {
    throw Refused(fmt::format("cannot create shard \"{}\": the engine holds the maximum of {} "
                              "shards", key, kMaxShards));
  }
  db().Prepare("INSERT INTO shards(no, key, created_at) VALUES (?, ?, ?)")
      ->BindAll(no, key, Seconds(now))
      .Run();
  return ShardInfo{no, std::string(key)};
}

std::int64_t Catalog::Txn::AllocateSequences(int shard, IdKind kind, int count) {
  auto st = db().Prepare(
      kind == IdKind::kQuestion
          ? "UPDATE shards SET next_question = next_question + ?1 WHERE no = ?2 "
            "RETURNING next_question - ?1"
          : "UPDATE shards SET next_answer = next_answer + ?1 WHERE no = ?2 "
            "RETURNING next_answer - ?1");
  st->BindAll(count, shard);
  if (!st->Step()) throw NotFound(fmt::format("shard #{} is not registered", shard));
  const std::int64_t first = st->Int(0);
  st->Run();  // finish the statement so the update completes
  if (first + count - 1 > kMaxSequence) {
    throw Refused(fmt::format("shard #{} has used up its {} ids", shard,
                              kind == IdKind::kQuestion ? "question" : "answer"));
  }
  return first;
}

std::optional<Id> Catalog::Txn::FindExtId(IdKind kind, std::string_view ext_id) {
  return SelectExtId(db(), kind, ext_id);
}

void Catalog::Txn::ReserveExtId(IdKind kind, std::string_view ext_id, Id id) {
  db().Prepare("INSERT OR REPLACE INTO ext_ids(kind, ext_id, id) VALUES (?, ?, ?)")
      ->BindAll(static_cast<int>(kind), ext_id, id)
      .Run();
}

void Catalog::Txn::ReleaseExtId(IdKind kind, std::string_view ext_id, Id id) {
  db().Prepare("DELETE FROM ext_ids WHERE kind = ? AND ext_id = ? AND id = ?")
      ->BindAll(static_cast<int>(kind), ext_id, id)
      .Run();
}

void Catalog::Txn::SetHome(const Home& home) {
  db().Prepare(fmt::format("INSERT OR REPLACE INTO homes({}) VALUES (?, ?, ?, ?, ?)",
                           kHomeColumns))
      ->BindAll(home.user, home.neighborhood, home.location.lat, home.location.lon,
                Seconds(home.verified_at))
      .Run();
}

void Catalog::Txn::SetMeta(std::string_view key, std::string_view value) {
  db().Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
      ->BindAll(key, value)
      .Run();
}

// --- Reads --------------------------------------------------------------------

std::optional<User> Catalog::GetUser(Id id) {
  auto db = pool_.Read();
  return SelectUserBy(*db, "id", id);
}

std::optional<User> Catalog::FindUser(std::string_view nickname) {
  auto db = pool_.Read();
  return SelectUserBy(*db, "nickname", nickname);
}

std::optional<Id> Catalog::FindExtId(IdKind kind, std::string_view ext_id) {
  auto db = pool_.Read();
  return SelectExtId(*db, kind, ext_id);
}

std::optional<std::string> Catalog::GetMeta(std::string_view key) {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT value FROM meta WHERE key = ?");
  st->BindAll(key);
  if (!st->Step()) return std::nullopt;
  return st->Text(0);
}

std::optional<Home> Catalog::GetHome(Id user) {
  auto db = pool_.Read();
  auto st = db->Prepare(fmt::format("SELECT {} FROM homes WHERE user_id = ?", kHomeColumns));
  st->BindAll(user);
  if (!st->Step()) return std::nullopt;
  return ReadHome(*st);
}

std::vector<Home> Catalog::HomesBetween(double lat_min, double lat_max) {
  auto db = pool_.Read();
  auto st = db->Prepare(
      fmt::format("SELECT {} FROM homes WHERE lat BETWEEN ? AND ?", kHomeColumns));
  st->BindAll(lat_min, lat_max);
  std::vector<Home> homes;
  while (st->Step()) homes.push_back(ReadHome(*st));
  return homes;
}

std::vector<std::string> Catalog::QuickCheck() {
  auto db = pool_.Read();
  return store::QuickCheck(*db);
}

void Catalog::Txn::MarkEscrowsChecked(int shard, std::int64_t below) {
  db().Prepare(
          "UPDATE shards SET escrows_checked_below = MAX(escrows_checked_below, ?1) WHERE no = ?2")
      ->BindAll(below, shard)
      .Run();
}

std::vector<ShardEscrows> Catalog::EscrowsToCheck() {
  auto db = pool_.Read();
  // The marks first: an escrow held after this read has a sequence at or
  // above the `next_question` read here, and is left to the next check.
  struct Mark {
    int shard;
    std::int64_t from, to;
  };
  std::vector<Mark> marks;
  {
    auto st =
        db->Prepare("SELECT no, escrows_checked_below, next_question FROM shards ORDER BY no");
    while (st->Step()) marks.push_back({static_cast<int>(st->Int(0)), st->Int(1), st->Int(2)});
  }
  auto st = db->Prepare(
      "SELECT question_id FROM escrows WHERE question_id BETWEEN ?1 AND ?2 AND state = 'held'");
  std::vector<ShardEscrows> shards;
  for (const Mark& mark : marks) {
    ShardEscrows& shard = shards.emplace_back(
        ShardEscrows{.shard = mark.shard, .checked_from = mark.from, .checked_to = mark.to});
    if (mark.from >= mark.to) continue;  // nothing asked since
    st->BindAll(MakeId(mark.shard, IdKind::kQuestion, mark.from),
                MakeId(mark.shard, IdKind::kQuestion, mark.to - 1));
    while (st->Step()) shard.questions.push_back(st->Int(0));
    st->Reset();
  }
  return shards;
}

std::vector<ShardInfo> Catalog::Shards() {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT no, key FROM shards ORDER BY no");
  std::vector<ShardInfo> shards;
  while (st->Step()) shards.push_back({static_cast<int>(st->Int(0)), st->Text(1)});
  return shards;
}

}  // namespace dongne::ledger
