// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/document.h"

#include <fmt/format.h>

#include <cstring>
#include <map>

#include "dongne/error.h"
#include "search/geo_cells.h"
#include "search/terms.h"
#include "text/hangul.h"
#include "text/korean_analyzer.h"
#include "text/unicode.h"

namespace dongne::search {
namespace {

// How often each title term has weighed in the body and answers so far.
using TitleTermRepeats = std::map<std::string, Xapian::termcount>;

// A word longer than Xapian takes (a run of one letter, a 300-digit number,
// a sentence typed without spaces) is left out of the index; a Hangul one is
// still found by its bigrams.
bool Fits(const std::string& term) { return term.size() <= kMaxTermBytes; }

// Stems (with positions from `pos`, unless 0), bigrams and junction bigrams
// of `text`, each at `wdf`, but at 0 once a title term in `repeats` has
// weighed kTitleTermRepeats times. Returns the position after the last word.
Xapian::termpos IndexText(Xapian::Document& doc, const std::string& text, Xapian::termpos pos,
                          Xapian::termcount wdf, std::vector<std::string>* spelling,
                          TitleTermRepeats* repeats = nullptr) {
  const auto wdf_of = [&](const std::string& term) {
    if (!repeats) return wdf;
    const auto it = repeats->find(term);
    return it == repeats->end() || it->second++ < kTitleTermRepeats ? wdf : 0;
  };
  for (const IndexedWord& word : IndexedWords(text)) {
    if (!word.join.empty()) {
      const std::string join = Term(kBigram, word.join);
      doc.add_term(join, wdf_of(join));
    }
    if (Fits(word.token.stem)) {
      if (pos == 0) {
        doc.add_term(word.token.stem, wdf_of(word.token.stem));
      } else {
        doc.add_posting(word.token.stem, pos, wdf_of(word.token.stem));
      }
    }
    if (pos != 0) ++pos;  // past a word left out too, so no phrase spans it
    for (const std::string& b : word.bigrams) {
      const std::string bigram = Term(kBigram, b);
      doc.add_term(bigram, wdf_of(bigram));
    }
    if (spelling && !word.bigrams.empty()) {
      const std::string initials = Term(kInitials, text::Initials(word.token.stem));
      if (Fits(initials)) doc.add_term(initials);
      std::string jamo = text::Decompose(word.token.stem);
      if (Fits(jamo)) spelling->push_back(std::move(jamo));
    }
  }
  return pos;
}

}  // namespace

std::vector<IndexedWord> IndexedWords(std::string_view text) {
  std::vector<IndexedWord> words;
  for (text::Token& token : text::Tokenize(text)) {
    IndexedWord word;
    if (token.hangul && !words.empty()) {
      const text::Token& previous = words.back().token;
      word.join = previous.hangul ? text::JunctionBigram(previous.stem, token.stem)
                                  : text::NumberBigram(previous, token);
    }
    if (token.hangul) word.bigrams = text::Bigrams(token.stem);
    word.token = std::move(token);
    words.push_back(std::move(word));
  }
  return words;
}

std::string RankingData::Pack() const {
  const double fields[] = {location.lat, location.lon, created_at, quality};
  std::string data(sizeof id + sizeof fields, '\0');
  std::memcpy(data.data(), &id, sizeof id);
  std::memcpy(data.data() + sizeof id, fields, sizeof fields);
  return data;
}

RankingData RankingData::Unpack(const std::string& data) {
  RankingData r;
  double fields[4];
  if (data.size() != sizeof r.id + sizeof fields) {
    throw Corruption(fmt::format("search index document data of {} bytes; run `dongne reindex`",
                                 data.size()));
  }
  std::memcpy(&r.id, data.data(), sizeof r.id);
  std::memcpy(fields, data.data() + sizeof r.id, sizeof fields);
  r.location = {fields[0], fields[1]};
  r.created_at = fields[2];
  r.quality = fields[3];
  return r;
}

double Quality(const Question& q) {
  const double s = q.answer_count + q.likes / 2.0 + (q.accepted_answer ? 3.0 : 0.0);
  return s / (s + 5.0);
}

Xapian::Document MakeDocument(const Question& q, std::span<const Answer> answers,
                              std::vector<std::string>& spelling) {
  Xapian::Document doc;
  Xapian::termpos pos = IndexText(doc, q.title, 1, kTitleWdf, &spelling);
  for (const std::string& tag : q.hashtags) {
    doc.add_boolean_term(Term(kTag, tag));
    pos = IndexText(doc, tag, pos + 1, kTitleWdf, nullptr);
    const std::string initials = text::Initials(tag);
    if (text::CodePointCount(initials) >= 2) {
      doc.add_term(Term(kInitials, initials));
      spelling.push_back(text::Decompose(tag));
    }
  }
  TitleTermRepeats repeats;  // every term so far is the title's or a hashtag's
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) repeats.emplace(*t, 0);
  IndexText(doc, q.body, kBodyStart, 1, nullptr, &repeats);
  // Answers count as body text, without positions: a phrase belongs to the
  // question.
  for (const Answer& a : answers) IndexText(doc, a.body, 0, 1, nullptr, &repeats);

  doc.add_boolean_term(Term(kId, std::to_string(q.id)));
  doc.add_boolean_term(Term(kRegion, q.region));
  doc.add_boolean_term(Term(kCategory, q.category));
  doc.add_boolean_term(Term(kStatus, QuestionStatusName(q.status)));
  doc.add_boolean_term(Term(kUrgent, q.urgent ? "1" : "0"));
  const RankingData ranking{q.id, q.location,
                            static_cast<double>(q.created_at.time_since_epoch().count()),
                            Quality(q)};
  for (const std::string& cell : CellTermsOf(q.location)) doc.add_boolean_term(cell);
  doc.set_data(ranking.Pack());
  return doc;
}

}  // namespace dongne::search
