// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The `dongne._dongne` extension: the exception hierarchy, the record types
// and the Engine. dongne/__init__.py re-exports it.

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <iterator>

#include "convert.h"
#include "dongne/error.h"
#include "dongne/nearby.h"
#include "dongne/search.h"
#include "engine_binding.h"

namespace py = pybind11;
using namespace dongne;
using python::AddRecordMethods;
using python::NoneIfEmpty;
using python::ToDatetime;

namespace {

// The Python class of each ErrorCode, indexed by the code; set once at import.
PyObject* g_error_classes[7];
PyObject* g_error_base;

// A new exception class deriving from every class in `bases`.
PyObject* NewException(py::module_& m, const char* name, std::initializer_list<PyObject*> bases,
                       const char* doc) {
  py::tuple tuple(bases.size());
  std::size_t i = 0;
  for (PyObject* base : bases) tuple[i++] = py::reinterpret_borrow<py::object>(base);
  const std::string qualified = std::string("dongne.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, tuple.ptr(), nullptr);
  if (!cls) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(cls));
  return cls;
}

void BindErrors(py::module_& m) {
  PyObject* error = NewException(m, "Error", {PyExc_Exception}, "Base of every dongne error.");
  PyObject* invalid = NewException(m, "InvalidArgument", {error, PyExc_ValueError},
                                   "Bad input: a value out of range, malformed or too long.");
  PyObject* not_found = NewException(m, "NotFound", {error, PyExc_LookupError},
                                     "An unknown id, user, region or file.");
  PyObject* refused = NewException(m, "Refused", {error, PyExc_PermissionError},
                                   "Not allowed: the rules of the community forbid it.");
  PyObject* insufficient = NewException(m, "InsufficientPoints", {refused},
                                        "A movement would overdraw a balance.");
  PyObject* conflict = NewException(m, "Conflict", {refused},
                                    "The state forbids it: taken, already accepted, closed.");
  PyObject* corruption = NewException(m, "Corruption", {error}, "A damaged or foreign file.");
  PyObject* io_error = NewException(m, "IOError", {error, PyExc_OSError},
                                    "The disk said no: full, read-only, locked.");
  g_error_base = error;
  PyObject* by_code[] = {invalid, not_found, refused, insufficient, conflict, corruption, io_error};
  static_assert(std::size(by_code) == std::size(g_error_classes));
  std::copy(std::begin(by_code), std::end(by_code), g_error_classes);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const dongne::Error& e) {
      const auto index = static_cast<std::size_t>(e.code());
      PyErr_SetString(index < std::size(g_error_classes) ? g_error_classes[index] : g_error_base,
                      e.what());
    }
  });
}

template <typename T, typename Getter>
void Time(py::class_<T>& cls, const char* name, Getter getter) {
  cls.def_property_readonly(name, [getter](const T& self) { return ToDatetime(getter(self)); });
}

void BindRecords(py::module_& m) {
  py::class_<User> user(m, "User", "A member of the community.");
  user.def_readonly("id", &User::id)
      .def_readonly("nickname", &User::nickname)
      .def_property_readonly("nick", [](const User& u) { return u.nickname; }, "Alias of nickname.")
      .def_readonly("balance", &User::balance);
  Time(user, "created_at", [](const User& u) { return u.created_at; });
  AddRecordMethods(user, "User", {"id", "nickname", "balance", "created_at"},
                   {"id", "nickname", "balance"});

  py::class_<Question> question(m, "Question", "A question asked at a point.");
  question.def_readonly("id", &Question::id)
      .def_property_readonly("ext_id", [](const Question& q) { return NoneIfEmpty(q.ext_id); })
      .def_readonly("region", &Question::region)
      .def_property_readonly("neighborhood",
                             [](const Question& q) { return NoneIfEmpty(q.neighborhood); })
      .def_readonly("title", &Question::title)
      .def_readonly("body", &Question::body)
      .def_readonly("author_id", &Question::author_id)
      .def_readonly("author", &Question::author)
      .def_property_readonly("lat", [](const Question& q) { return q.location.lat; })
      .def_property_readonly("lon", [](const Question& q) { return q.location.lon; })
      .def_readonly("category", &Question::category)
      .def_readonly("hashtags", &Question::hashtags)
      .def_readonly("urgent", &Question::urgent)
      .def_readonly("bounty", &Question::bounty)
      .def_property_readonly("status",
                             [](const Question& q) { return std::string(QuestionStatusName(q.status)); })
      .def_readonly("answer_count", &Question::answer_count)
      .def_readonly("accepted_answer", &Question::accepted_answer)
      .def_readonly("likes", &Question::likes);
  Time(question, "created_at", [](const Question& q) { return q.created_at; });
  AddRecordMethods(question, "Question",
                   {"id", "ext_id", "region", "neighborhood", "title", "body", "author_id", "author",
                    "lat", "lon", "category", "hashtags", "urgent", "bounty", "status",
                    "answer_count", "accepted_answer", "likes", "created_at"},
                   {"id", "region", "title", "status", "answer_count"});

  py::class_<Answer> answer(m, "Answer", "An answer to a question.");
  answer.def_readonly("id", &Answer::id)
      .def_readonly("question_id", &Answer::question_id)
      .def_property_readonly("ext_id", [](const Answer& a) { return NoneIfEmpty(a.ext_id); })
      .def_readonly("author_id", &Answer::author_id)
      .def_readonly("author", &Answer::author)
      .def_readonly("body", &Answer::body)
      .def_readonly("accepted", &Answer::accepted)
      .def_readonly("likes", &Answer::likes);
  Time(answer, "created_at", [](const Answer& a) { return a.created_at; });
  AddRecordMethods(answer, "Answer",
                   {"id", "question_id", "ext_id", "author_id", "author", "body", "accepted",
                    "likes", "created_at"},
                   {"id", "question_id", "author", "accepted"});

  py::class_<QuestionPage> page(m, "QuestionPage", "A page of a listing.");
  page.def_readonly("questions", &QuestionPage::questions)
      .def_property_readonly("next_cursor",
                             [](const QuestionPage& p) { return NoneIfEmpty(p.next_cursor); });
  AddRecordMethods(page, "QuestionPage", {"questions", "next_cursor"}, {"questions", "next_cursor"});

  py::class_<LedgerEntry> entry(m, "LedgerEntry", "One line of a points statement.");
  entry.def_readonly("amount", &LedgerEntry::amount)
      .def_readonly("kind", &LedgerEntry::kind)
      .def_property_readonly("ref", [](const LedgerEntry& e) -> py::object {
        return e.ref ? py::object(py::int_(e.ref)) : py::none();  // none: a sign-up bonus
      });
  Time(entry, "at", [](const LedgerEntry& e) { return e.at; });
  AddRecordMethods(entry, "LedgerEntry", {"amount", "kind", "ref", "at"}, {"amount", "kind", "ref"});

  py::class_<PointsStatement> statement(m, "Statement", "A user's balance and entries, newest first.");
  statement.def_readonly("balance", &PointsStatement::balance)
      .def_readonly("entries", &PointsStatement::entries)
      .def_property_readonly("next_cursor",
                             [](const PointsStatement& s) { return NoneIfEmpty(s.next_cursor); });
  AddRecordMethods(statement, "Statement", {"balance", "entries", "next_cursor"},
                   {"balance", "entries"});

  py::class_<NearbyHit> hit(m, "NearbyHit", "A question near a point, with its distance.");
  hit.def_readonly("question", &NearbyHit::question)
      .def_readonly("distance_m", &NearbyHit::distance_m)
      .def_property_readonly("id", [](const NearbyHit& h) { return h.question.id; })
      .def_property_readonly("title", [](const NearbyHit& h) { return h.question.title; });
  AddRecordMethods(hit, "NearbyHit", {"question", "distance_m"}, {"id", "title", "distance_m"});

  py::class_<FeedHit> feed(m, "FeedHit", "An open question waiting for an answer near a point.");
  feed.def_readonly("question", &FeedHit::question)
      .def_readonly("distance_m", &FeedHit::distance_m)
      .def_readonly("waiting_s", &FeedHit::waiting_s)
      .def_property_readonly("id", [](const FeedHit& h) { return h.question.id; })
      .def_property_readonly("title", [](const FeedHit& h) { return h.question.title; });
  AddRecordMethods(feed, "FeedHit", {"question", "distance_m", "waiting_s"},
                   {"id", "title", "distance_m", "waiting_s"});

  py::class_<Home> home(m, "Home", "A user's verified home neighbourhood (동네 인증).");
  home.def_readonly("user", &Home::user)
      .def_readonly("neighborhood", &Home::neighborhood)
      .def_property_readonly("lat", [](const Home& h) { return h.location.lat; })
      .def_property_readonly("lon", [](const Home& h) { return h.location.lon; });
  Time(home, "verified_at", [](const Home& h) { return h.verified_at; });
  AddRecordMethods(home, "Home", {"user", "neighborhood", "lat", "lon", "verified_at"},
                   {"user", "neighborhood"});

  py::class_<Answerer> answerer(m, "Answerer", "A verified user near a question.");
  answerer.def_readonly("user", &Answerer::user)
      .def_readonly("home", &Answerer::home)
      .def_readonly("distance_m", &Answerer::distance_m)
      .def_readonly("recent_answers", &Answerer::recent_answers)
      .def_readonly("accepted_answers", &Answerer::accepted_answers)
      .def_readonly("score", &Answerer::score);
  AddRecordMethods(answerer, "Answerer",
                   {"user", "home", "distance_m", "recent_answers", "accepted_answers", "score"},
                   {"user", "distance_m", "score"});

  py::class_<ScoreExplanation> explain(m, "ScoreExplanation", "How a search hit's score was made.");
  explain.def_readonly("text", &ScoreExplanation::text)
      .def_readonly("proximity", &ScoreExplanation::proximity)
      .def_readonly("distance", &ScoreExplanation::distance)
      .def_readonly("freshness", &ScoreExplanation::freshness)
      .def_readonly("quality", &ScoreExplanation::quality)
      .def_readonly("matched_terms", &ScoreExplanation::matched_terms);
  AddRecordMethods(explain, "ScoreExplanation",
                   {"text", "proximity", "distance", "freshness", "quality", "matched_terms"},
                   {"text", "distance", "freshness", "quality"});

  py::class_<SearchHit> search_hit(m, "SearchHit", "A question matching a search, with its score.");
  search_hit.def_readonly("question", &SearchHit::question)
      .def_readonly("score", &SearchHit::score)
      .def_readonly("distance_m", &SearchHit::distance_m)
      .def_readonly("snippet", &SearchHit::snippet)
      .def_readonly("explain", &SearchHit::explain)
      .def_property_readonly("id", [](const SearchHit& h) { return h.question.id; })
      .def_property_readonly("title", [](const SearchHit& h) { return h.question.title; });
  AddRecordMethods(search_hit, "SearchHit",
                   {"question", "score", "distance_m", "snippet", "explain"},
                   {"id", "title", "score", "distance_m"});

  py::class_<TagCount> tag_count(m, "TagCount", "A hashtag and how often it was used.");
  tag_count.def_readonly("tag", &TagCount::tag).def_readonly("count", &TagCount::count);
  AddRecordMethods(tag_count, "TagCount", {"tag", "count"}, {"tag", "count"});

  py::class_<VerifyReport> report(m, "VerifyReport", "What Engine.verify found.");
  report.def_readonly("sound", &VerifyReport::sound)
      .def_readonly("problems", &VerifyReport::problems)
      .def_readonly("transactions", &VerifyReport::transactions)
      .def_readonly("escrows_held", &VerifyReport::escrows_held)
      .def_readonly("events_applied", &VerifyReport::events_applied)
      .def_readonly("questions", &VerifyReport::questions)
      .def("__bool__", [](const VerifyReport& r) { return r.sound; });
  AddRecordMethods(report, "VerifyReport",
                   {"sound", "problems", "transactions", "escrows_held", "events_applied",
                    "questions"},
                   {"sound", "problems"});
}

}  // namespace

PYBIND11_MODULE(_dongne, m) {
  m.doc() = "libdongne: an embeddable engine for location-based question-and-answer communities.";
  BindErrors(m);
  BindRecords(m);
  python::BindEngine(m);
  py::list categories;
  for (std::string_view c : kCategories) categories.append(std::string(c));
  m.attr("CATEGORIES") = categories;
}
