// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine: the one entry class. An engine is a directory:
//
//   catalog.db                 users, region map, shard registry, point ledger
//   shards/<region>/store.db   SpatiaLite database: questions, answers, likes
//   shards/<region>/index/     Xapian index of that shard (derived data)
//   LOCK                       held by every open Engine (docs/ledger.md)
//
// Thread-safety: an Engine may be used from many threads at once without
// external locking. Reads run concurrently; writes to one shard are
// serialised; readers see committed data. Two processes may open the same
// directory (SQLite locking keeps them consistent), but one process per
// directory is the supported and fast case.
//
// Errors are thrown as the classes in dongne/error.h. A call that throws has
// written nothing.
//
//   auto engine = dongne::Engine::Open("data");
//   dongne::User me = engine->CreateUser("귤러버");
//   dongne::Question q = engine->Ask({.author = me.id, .title = "애월 흑돼지 맛집?",
//                                     .body = "…", .location = {33.4628, 126.3310}});

#ifndef DONGNE_ENGINE_H_
#define DONGNE_ENGINE_H_

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dongne/nearby.h"
#include "dongne/options.h"
#include "dongne/search.h"
#include "dongne/types.h"

namespace dongne {

class Engine {
 public:
  // Opens the engine in `dir`, creating it when absent (unless
  // options.create_if_missing is false: then NotFound). A directory written by
  // a newer version of the library is Refused, naming both schema versions.
  // The maps given for a new engine are checked before anything is written:
  // a missing or bad one leaves no `dir` and no catalog.db behind. Options
  // out of range (a negative amount, snap distance or timeout, an amount
  // over 1,000,000, an expiry under a second) are InvalidArgument. A
  // creation killed before it stored its region map is finished by the next
  // open that may create (with that open's map); to others it is NotFound.
  static std::unique_ptr<Engine> Open(const std::filesystem::path& dir,
                                      const Options& options = Options());

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // --- Users -------------------------------------------------------------

  // Creates a user. The nickname is NFC-normalised and must be 1–30
  // characters without control characters; a taken one is a Conflict.
  User CreateUser(std::string_view nickname);
  User GetUser(Id user);                     // NotFound if unknown
  User FindUser(std::string_view nickname);  // NotFound if unknown

  // --- Questions and answers ---------------------------------------------

  // Stores a question in the shard of its location's region. A question with
  // an ext_id that was already stored is a Conflict.
  Question Ask(const NewQuestion& question);
  Answer PostAnswer(const NewAnswer& answer);

  // `by` accepts `answer`: only the asker may accept, never their own answer,
  // and only one answer per question (Refused / Conflict otherwise).
  Answer Accept(Id answer, Id by);

  // A like on a question or an answer, one per user and target. Like is a
  // no-op when the like exists; Unlike when it does not. Returns the target's
  // like count afterwards.
  int Like(Id user, Id target);
  int Unlike(Id user, Id target);

  Question GetQuestion(Id question);         // NotFound if unknown
  Answer GetAnswer(Id answer);               // NotFound if unknown
  std::vector<Answer> ListAnswers(Id question);  // oldest first

  // A page of questions, filtered and sorted; see ListOptions.
  QuestionPage List(const ListOptions& options);

  // The shard keys of every region in the map, plus "default".
  std::vector<std::string> Regions() const;

  // --- Points (docs/ledger.md) ------------------------------------------
  //
  // Every movement is a double-entry transaction in catalog.db. A question's
  // bounty (and the urgent fee) is taken from the asker when Ask stores it:
  // InsufficientPoints if the balance does not cover it, and nothing is
  // stored. Accept pays the bounty and the system's reward to the answerer;
  // Close or Expire refunds an unpaid bounty.

  std::int64_t Balance(Id user);
  // The user's entries, newest first, `limit` (1–1000) a page.
  PointsStatement Statement(Id user, int limit = 50, const std::string& cursor = "");

  // The asker closes their question: it takes no more answers or acceptance,
  // and its bounty goes back to them. Closing a closed question is a no-op;
  // an accepted one is a Conflict.
  Question Close(Id question, Id by);
  // Closes every question whose bounty has waited longer than the policy's
  // bounty_expiry at `now` without an accepted answer, refunding it. Returns
  // how many it closed. The host calls it (e.g. hourly); nothing runs unasked.
  int Expire(Timestamp now);

  // Credits `points` (1–1,000,000,000) bought with the host's payment
  // `payment_id`. Repeating a payment id moves nothing; one used for another
  // user or amount is a Conflict. Returns the user's balance.
  std::int64_t Purchase(Id user, std::int64_t points, std::string_view payment_id);
  // An administrative correction of ±`amount` with a reason, idempotent on
  // `key` (Conflict for another user or amount). InsufficientPoints when it
  // would overdraw. Returns the balance.
  std::int64_t Adjust(Id user, std::int64_t amount, std::string_view reason,
                      std::string_view key);

  // Audits the ledger against itself and the shards: every transaction sums
  // to zero, every balance equals its entries and is not negative, every
  // escrow matches its question, every event was applied once, every
  // search index agrees with its store. Writes nothing. The files and
  // indexes, most of the time, are checked first without blocking anything;
  // writes that need the catalog then wait while the ledger is compared with
  // the shards (about 1.5 s at a million questions). `progress`, if given,
  // is called on the calling thread after each file, never while writes wait.
  VerifyReport Verify(const std::function<void(const VerifyProgress&)>& progress = {});

  // --- Nearby ------------------------------------------------------------

  // Questions near a point, nearest first, across every shard the circle
  // touches; see NearbyQuery. InvalidArgument names the field for a bad
  // centre, radius, k, category, tag or cursor, or when neither radius nor
  // k is given.
  NearbyPage Nearby(const NearbyQuery& query);

  // "Needs an answer near me"; see FeedQuery.
  FeedPage NeedsAnswer(const FeedQuery& query);

  // Records `point` as the user's home (동네 인증), replacing an earlier one.
  Home VerifyLocation(Id user, LatLon point);
  // The user's home; nullopt when never verified. NotFound for an unknown user.
  std::optional<Home> GetHome(Id user);

  // Verified users whose home is within radius_m (default 5 km) of
  // `question`, best first (see Answerer::score), at most `limit`; never
  // the asker.
  std::vector<Answerer> WhoCanAnswer(Id question, double radius_m = 5000, int limit = 20);
  // --- Search (docs/search.md) -------------------------------------------
  //
  // Each shard's Xapian index follows its store.db; every write above
  // brings it up to date before returning, and a search catches up first,
  // so a search sees every acknowledged write.

  // Questions matching `query`, best first. InvalidArgument naming the
  // field for text that is not UTF-8, a limit outside 1–1000, a bad point,
  // a negative radius or a radius without a point, an unknown category or
  // status; NotFound for a region not in the map. Query syntax is never an
  // error.
  SearchResult Search(const SearchQuery& query);

  // Questions like one being written (title and body), for "was this asked
  // before?" suggestions; closer ones first when `near` is given. Only the
  // first 100,000 bytes of each are read.
  SearchResult Similar(std::string_view title, std::string_view body,
                       std::optional<LatLon> near = std::nullopt, int limit = 5);

  // The hashtags most used by questions created in the last `hours`, most
  // used first, counted from store.db (not the index).
  std::vector<TagCount> Trending(const TrendingOptions& options = TrendingOptions());

  // Rebuilds every shard's index from its store.db, shards in parallel.
  // `progress` (optional) is called on the calling thread while the shards
  // are rebuilt on others. A search waits for the shards it covers.
  void RebuildIndex(const std::function<void(const RebuildProgress&)>& progress = {});

  // --- Import ------------------------------------------------------------

  // Imports a JSONL file (docs/cli.md gives the format). Authors are created
  // on first sight; lines whose ext_id was imported before change nothing; a
  // bad line is counted and skipped. `progress` (optional) is called every few
  // thousand lines and at the end, on the calling thread.
  ImportSummary Import(const std::filesystem::path& jsonl,
                       const std::function<void(const ImportProgress&)>& progress = {});

  // The implementation, defined inside the library; not part of the API.
  struct Impl;

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dongne

#endif  // DONGNE_ENGINE_H_
