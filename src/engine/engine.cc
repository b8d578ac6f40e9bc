// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine: opening, users, questions and answers, listing.

#include "dongne/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "dongne/error.h"
#include "engine/engine_impl.h"
#include "engine/ids.h"
#include "engine/list_cursor.h"
#include "engine/validate.h"
#include "ledger/ledger.h"
#include "text/unicode.h"

namespace dongne {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  // A directory opens, then reads as nothing.
  if (!in || std::filesystem::is_directory(path)) {
    throw NotFound(fmt::format("cannot read {}", path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IOError(fmt::format("error reading {}", path.string()));
  return text.str();
}

// The map stored under `meta_key` in the catalog, storing `file`'s (or
// `fallback`) on first open. A later open may name no file or a file with
// the same content.
std::string StoredMap(ledger::Catalog& catalog, std::string_view meta_key,
                      const std::string& file, std::string_view fallback,
                      const std::filesystem::path& dir) {
  const std::optional<std::string> given =
      file.empty() ? std::nullopt : std::optional(ReadFile(file));
  if (std::optional<std::string> stored = catalog.GetMeta(meta_key)) {
    if (given && *given != *stored) {
      throw InvalidArgument(fmt::format(
          "{} differs from the {} map the engine at {} was created with; an engine cannot "
          "be re-sharded in place",
          file, meta_key, dir.string()));
    }
    return *stored;
  }
  return given ? *given : std::string(fallback);
}

// A region map's GeoJSON, parsed, its keys checked as directory names
// (under shards/); an unsafe one is named with its source and feature, as
// RegionMap names the map's other faults.
geo::RegionMap ParseRegions(const std::string& geojson, const Options& options) {
  const std::string source = options.regions_file.empty() ? "the region map" : options.regions_file;
  geo::RegionMap regions = geo::RegionMap::Parse(geojson, source);
  static const std::regex safe("[a-z0-9][a-z0-9_.-]{0,63}");
  for (std::size_t f = 0; f < regions.size(); ++f) {
    const std::string& key = regions.region(f).key;
    if (!std::regex_match(key, safe) || key.find("..") != std::string::npos) {
      throw InvalidArgument(fmt::format(
          "{}: feature {}: region key \"{}\" is not a safe directory name: 1-64 characters, "
          "a lower-case ASCII letter or digit first, then those or '-', '_', '.', and no '..'",
          source, f, text::Printable(key)));
    }
  }
  return regions;
}

}  // namespace

// --- Impl ---------------------------------------------------------------------

Engine::Impl::Impl(std::filesystem::path dir_in, const Options& options_in)
    : dir(std::move(dir_in)), options(options_in), open_lock(dir, options.busy_timeout_ms) {
  store::Database::Config config;
  config.busy_timeout_ms = options.busy_timeout_ms;
  config.sync = options.sync;
  catalog = std::make_unique<ledger::Catalog>(dir / "catalog.db", config,
                                              options.points.signup_bonus);
  // The region map is stored last in a creation: a catalog without one is a
  // creation that was cut short (killed), which only an open that may create
  // finishes, with its own map. Another open adopting the built-in map would
  // fix the engine to the wrong one.
  if (!options.create_if_missing && !catalog->GetMeta("regions")) {
    throw NotFound(fmt::format("no engine at {}: its creation did not finish; create it again",
                               dir.string()));
  }

  const std::string regions_text = StoredMap(*catalog, "regions", options.regions_file,
                                             geo::RegionMap::BuiltInGeoJson(), dir);
  const std::string neighborhoods_text =
      StoredMap(*catalog, "neighborhoods", options.neighborhoods_file, "", dir);
  geo::RegionMap regions = ParseRegions(regions_text, options);
  // A neighbourhood map given now is checked now; one stored in the catalog
  // was checked when the engine was created, and is parsed when first used.
  std::optional<geo::RegionMap> neighborhoods;
  if (!options.neighborhoods_file.empty()) {
    neighborhoods = geo::RegionMap::Parse(neighborhoods_text, options.neighborhoods_file);
  }
  if (!catalog->GetMeta("regions")) {
    auto txn = catalog->Begin();
    txn.SetMeta("regions", regions_text);
    txn.SetMeta("neighborhoods", neighborhoods_text);
    txn.Commit();
  }
  // (Shared, as std::function copies what it holds; called once.)
  auto load_neighborhoods = [parsed = std::make_shared<std::optional<geo::RegionMap>>(
                                 std::move(neighborhoods)),
                             text = neighborhoods_text]() -> std::optional<geo::RegionMap> {
    if (*parsed || text.empty()) return std::move(*parsed);
    return geo::RegionMap::Parse(text, "the neighborhood map");
  };
  shards = std::make_unique<ShardSet>(dir, *catalog, std::move(regions),
                                      std::move(load_neighborhoods), options.snap_distance_m,
                                      config, [this] { return Now(); });
  Recover();
}

Timestamp Engine::Impl::Now() const {
  if (options.clock) return options.clock();
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

User Engine::Impl::RequireUser(Id id, std::string_view role) {
  std::optional<User> user = catalog->GetUser(id);
  if (!user) throw NotFound(fmt::format("{} {} not found", role, id));
  return *user;
}

store::ShardStore& Engine::Impl::ShardFor(Id id, IdKind kind) {
  const std::string_view what = kind == IdKind::kQuestion ? "question" : "answer";
  if (!IsWellFormed(id) || KindOf(id) != kind) {
    throw NotFound(fmt::format("{} {} not found", what, id));
  }
  store::ShardStore* shard = shards->Find(ShardOf(id));
  if (!shard) throw NotFound(fmt::format("{} {} not found", what, id));
  return *shard;
}

Id Engine::Impl::AllocateId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
                            const std::string& ext_id) {
  if (!ext_id.empty()) RequireUnusedExtId(txn.FindExtId(kind, ext_id), kind, ext_id);
  return NewId(txn, shard, kind, ext_id);
}

void Engine::Impl::RequireUnusedExtId(std::optional<Id> reserved, IdKind kind,
                                      const std::string& ext_id) {
  if (std::optional<Id> stored = StoredExtId(reserved)) {
    throw store::ExtIdTaken(kind, ext_id, *stored);
  }
}

std::optional<Id> Engine::Impl::StoredExtId(std::optional<Id> reserved) {
  if (!reserved) return std::nullopt;
  store::ShardStore* holder = shards->Find(ShardOf(*reserved));
  if (holder && holder->Has(*reserved)) return reserved;
  return std::nullopt;
}

void Engine::Impl::ForgetExtId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
                               const std::string& ext_id, Id id) {
  if (ext_id.empty() || txn.FindExtId(kind, ext_id) != id) return;
  txn.ReleaseExtId(kind, ext_id, id);
  if (std::optional<Id> stored = shard.IdOfExtId(kind, ext_id)) {
    txn.ReserveExtId(kind, ext_id, *stored);
  }
}

Id Engine::Impl::NewId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
                       const std::string& ext_id) {
  const Id id = MakeId(shard.shard_no(), kind, txn.AllocateSequences(shard.shard_no(), kind, 1));
  if (!ext_id.empty()) txn.ReserveExtId(kind, ext_id, id);
  return id;
}

// --- Engine -------------------------------------------------------------------

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::Open(const std::filesystem::path& dir, const Options& options) {
  validate::EngineOptions(options);
  std::error_code ec;
  if (std::filesystem::exists(dir / "catalog.db", ec)) {
    return std::unique_ptr<Engine>(new Engine(std::make_unique<Impl>(dir, options)));
  }
  if (!options.create_if_missing) throw NotFound(fmt::format("no engine at {}", dir.string()));
  // The maps given for a new engine are read and checked before anything is
  // written, so a missing or bad one leaves nothing behind (Impl parses them
  // again: creation only).
  if (!options.regions_file.empty()) ParseRegions(ReadFile(options.regions_file), options);
  if (!options.neighborhoods_file.empty()) {
    geo::RegionMap::Parse(ReadFile(options.neighborhoods_file), options.neighborhoods_file);
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IOError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  return std::unique_ptr<Engine>(new Engine(std::make_unique<Impl>(dir, options)));
}

User Engine::CreateUser(std::string_view nickname) {
  const std::string nick = validate::Nickname(nickname);
  auto txn = impl_->catalog->Begin();
  User user = txn.CreateUser(nick, impl_->Now());
  txn.Commit();
  return user;
}

User Engine::GetUser(Id user) { return impl_->RequireUser(user, "user"); }

User Engine::FindUser(std::string_view nickname) {
  std::optional<User> user;
  if (text::IsValidUtf8(nickname)) user = impl_->catalog->FindUser(text::Nfc(nickname));
  if (!user) {
    throw NotFound(fmt::format("user \"{}\" not found", text::Printable(nickname)));
  }
  return *user;
}

Question Engine::Ask(const NewQuestion& in) {
  Question q;
  q.title = validate::Text(in.title, "title", validate::kMaxTitle, false);
  q.body = validate::Text(in.body, "body", validate::kMaxBody, true);
  validate::Location(in.location);
  q.location = in.location;
  q.category = validate::Category(in.category);
  q.hashtags = validate::Hashtags(in.hashtags);
  validate::Bounty(in.bounty);
  q.bounty = in.bounty;
  q.urgent = in.urgent;
  q.ext_id = validate::ExtId(in.ext_id);
  q.created_at = validate::Time(in.created_at.value_or(impl_->Now()));
  const User author = impl_->RequireUser(in.author, "author");
  q.author_id = author.id;
  q.author = author.nickname;

  const std::int64_t fee = q.urgent ? impl_->options.points.urgent_fee : 0;
  {
    // Checked before the shard is opened, as opening a region's first
    // question creates its shard; the catalog transaction below checks again.
    auto db = impl_->catalog->pool().Read();
    ledger::RequireFunds(*db, author.id, q.bounty + fee);
  }
  if (!q.ext_id.empty()) {
    impl_->RequireUnusedExtId(impl_->catalog->FindExtId(IdKind::kQuestion, q.ext_id),
                              IdKind::kQuestion, q.ext_id);
  }
  const ShardSet::Route route = impl_->shards->Locate(q.location);
  store::ShardStore& shard = impl_->shards->Open(route.key);
  q.region = shard.key();
  q.neighborhood = route.neighborhood;
  // The catalog first: the id, and the bounty and fee held (refused when the
  // asker cannot pay). Should the shard then fail, the hold is returned;
  // should the process die, Recover returns it at the next open.
  {
    auto txn = impl_->catalog->Begin();
    q.id = impl_->AllocateId(txn, shard, IdKind::kQuestion, q.ext_id);
    ledger::HoldBounty(txn.db(), q.id, q.author_id, q.bounty, fee, q.created_at);
    txn.Commit();
  }
  const Question stored[] = {q};
  try {
    shard.InsertQuestions(stored);
  } catch (...) {
    try {
      auto txn = impl_->catalog->Begin();
      ledger::RefundOrphan(txn.db(), q.id, q.created_at);
      impl_->ForgetExtId(txn, shard, IdKind::kQuestion, q.ext_id, q.id);
      txn.Commit();
    } catch (const Error&) {
      // The catalog failed too: the next open refunds the orphan (Recover).
    }
    throw;
  }
  impl_->Reindex(shard);
  return q;
}

Answer Engine::PostAnswer(const NewAnswer& in) {
  Answer a;
  a.body = validate::Text(in.body, "body", validate::kMaxBody, true);
  a.ext_id = validate::ExtId(in.ext_id);
  a.created_at = validate::Time(in.created_at.value_or(impl_->Now()));
  store::ShardStore& shard = impl_->ShardFor(in.question, IdKind::kQuestion);
  const User author = impl_->RequireUser(in.author, "author");
  a.author_id = author.id;
  a.author = author.nickname;
  a.question_id = in.question;
  // Refusals come before the catalog allocates an id, so a refused answer
  // writes nothing. (A question closed between this check and the insert
  // still refuses it; that only leaves an unused id.)
  shard.CheckTakesAnswers(a.question_id);
  {
    auto txn = impl_->catalog->Begin();
    a.id = impl_->AllocateId(txn, shard, IdKind::kAnswer, a.ext_id);
    txn.Commit();
  }
  const Answer stored[] = {a};
  try {
    shard.InsertAnswers(stored);
  } catch (const Error&) {
    try {
      auto txn = impl_->catalog->Begin();
      impl_->ForgetExtId(txn, shard, IdKind::kAnswer, a.ext_id, a.id);
      txn.Commit();
    } catch (const Error&) {
      // Left to the next write of the ext_id, which finds it not stored.
    }
    throw;
  }
  impl_->Reindex(shard);
  return a;
}

Answer Engine::Accept(Id answer, Id by) {
  store::ShardStore& shard = impl_->ShardFor(answer, IdKind::kAnswer);
  impl_->RequireUser(by, "user");
  const Answer accepted = shard.Accept(answer, by, impl_->Now());
  impl_->Deliver(shard);
  impl_->Reindex(shard);
  return accepted;
}

int Engine::Like(Id user, Id target) {
  store::ShardStore& shard = impl_->ShardFor(target, KindOf(target));
  impl_->RequireUser(user, "user");
  const int likes = shard.SetLike(user, target, true);
  impl_->Reindex(shard);
  return likes;
}

int Engine::Unlike(Id user, Id target) {
  store::ShardStore& shard = impl_->ShardFor(target, KindOf(target));
  impl_->RequireUser(user, "user");
  const int likes = shard.SetLike(user, target, false);
  impl_->Reindex(shard);
  return likes;
}

Question Engine::GetQuestion(Id question) {
  std::optional<Question> q =
      impl_->ShardFor(question, IdKind::kQuestion).GetQuestion(question);
  if (!q) throw NotFound(fmt::format("question {} not found", question));
  return *q;
}

Answer Engine::GetAnswer(Id answer) {
  std::optional<Answer> a = impl_->ShardFor(answer, IdKind::kAnswer).GetAnswer(answer);
  if (!a) throw NotFound(fmt::format("answer {} not found", answer));
  return *a;
}

std::vector<Answer> Engine::ListAnswers(Id question) {
  GetQuestion(question);  // NotFound for an unknown question, not an empty list
  return impl_->ShardFor(question, IdKind::kQuestion).ListAnswers(question);
}

QuestionPage Engine::List(const ListOptions& options) {
  validate::Limit(options.limit);
  const std::string category = options.category.empty() ? "" : validate::Category(options.category);
  const std::string tag = options.tag.empty() ? "" : validate::Hashtag(options.tag);
  const std::optional<store::ListKey> after = DecodeListCursor(options.sort, options.cursor);

  std::vector<store::ShardStore*> shards;
  if (options.region.empty()) {
    shards = impl_->shards->All();
  } else {
    const std::vector<std::string> keys = impl_->shards->Keys();
    if (std::find(keys.begin(), keys.end(), options.region) == keys.end()) {
      throw NotFound(fmt::format("region \"{}\" is not in the region map",
                                 text::Printable(options.region)));
    }
    if (store::ShardStore* shard = impl_->shards->Find(options.region)) shards.push_back(shard);
  }

  // Each shard's next limit + 1 rows, merged: one more than a page tells
  // whether another page follows.
  std::vector<store::ListedQuestion> rows;
  for (store::ShardStore* shard : shards) {
    auto part = shard->List(options.sort, category, tag, after, options.limit + 1);
    std::move(part.begin(), part.end(), std::back_inserter(rows));
  }
  const auto later = [](const store::ListedQuestion& a, const store::ListedQuestion& b) {
    return std::tie(a.key.primary, a.key.created_at, a.key.id) >
           std::tie(b.key.primary, b.key.created_at, b.key.id);
  };
  const std::size_t keep = std::min<std::size_t>(rows.size(), options.limit);
  std::partial_sort(rows.begin(), rows.begin() + keep, rows.end(), later);

  QuestionPage page;
  for (std::size_t i = 0; i < keep; ++i) page.questions.push_back(std::move(rows[i].question));
  if (rows.size() > keep) page.next_cursor = EncodeListCursor(options.sort, rows[keep - 1].key);
  return page;
}

std::vector<std::string> Engine::Regions() const { return impl_->shards->Keys(); }

}  // namespace dongne
