// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine: the one entry class. An engine is a directory:
//
//   catalog.db                 users, region map, shard registry, point ledger
//   shards/<region>/store.db   SpatiaLite database: questions, answers, likes
//   shards/<region>/index/     Xapian index of that shard (derived data)
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
#include <string>
#include <string_view>
#include <vector>

#include "dongne/nearby.h"
#include "dongne/options.h"
#include "dongne/types.h"

namespace dongne {

class Engine {
 public:
  // Opens the engine in `dir`, creating it when absent (unless
  // options.create_if_missing is false: then NotFound). A directory written by
  // a newer version of the library is refused with Corruption naming both
  // schema versions.
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
