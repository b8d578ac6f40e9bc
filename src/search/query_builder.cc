// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/query_builder.h"

#include <algorithm>
#include <cmath>

#include "search/terms.h"
#include "text/hangul.h"
#include "text/korean_analyzer.h"
#include "text/unicode.h"

namespace dongne::search {
namespace {

// Queries stop growing here: a 10,000-character query costs no more than a
// long question. The cap is on distinct stems, and on each of 초성 words
// (which share it), phrases, excluded stems, excluded phrases and tags.
constexpr std::size_t kMaxStems = 64;
// A Hangul stem is searched by its first 32 bigrams (33 syllables): longer
// runs are not words people type, and Xapian's matcher took seconds over
// the thousands of bigrams of one unbroken run.
constexpr std::size_t kMaxBigramsPerStem = 32;
constexpr std::size_t kMaxCompletions = 20;
constexpr int kMaxScannedTerms = 5000;
// Below this many questions every term finds documents (WithoutCommonTerms).
constexpr Xapian::doccount kMinDocsForCommonTerms = 20000;

// The unprefixed terms in [lo, hi) of `db`, the most frequent first, at most
// kMaxCompletions.
std::vector<std::string> TermsBetween(const Xapian::Database& db, const std::string& lo,
                                      const std::string& hi) {
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  // allterms_begin takes a prefix, not a start: every term in [lo, hi)
  // begins with what lo and hi share, and the walk skips to lo from there.
  const std::string shared(lo.begin(), std::mismatch(lo.begin(), lo.end(), hi.begin(), hi.end()).first);
  auto t = db.allterms_begin(shared);
  t.skip_to(lo);
  int scanned = 0;
  for (; t != db.allterms_end(shared) && ++scanned <= kMaxScannedTerms; ++t) {
    const std::string term = *t;
    if (term >= hi) break;
    found.emplace_back(t.get_termfreq(), term);
  }
  std::sort(found.begin(), found.end(), std::greater<>());
  if (found.size() > kMaxCompletions) found.resize(kMaxCompletions);
  std::vector<std::string> terms;
  for (auto& [freq, term] : found) terms.push_back(std::move(term));
  return terms;
}

// Completions of a word being typed: 제주 -> 제주도, 제주시; 제주ㄷ -> 제주도;
// 한랏 -> 한라산 (the final ㅅ may yet start the next syllable).
std::vector<std::string> Completions(const Xapian::Database& db, const std::string& word) {
  // NFKC would turn a lone ㄷ into a conjoining jamo: look at the NFC form
  // for that, and fold everything else as the index did.
  std::u32string w = text::ToUtf32(text::Nfc(word));
  std::vector<std::string> out;
  if (w.empty()) return out;
  if (!text::IsCompatibilityConsonant(w.back())) w = text::ToUtf32(text::NfkcCasefold(word));
  if (w.empty()) return out;
  const auto add_syllable_range = [&](const std::u32string& base, int initial) {
    const char32_t first = text::kFirstSyllable + initial * 21 * 28;
    const std::string lo = text::ToUtf8(base + first);
    const std::string hi = text::ToUtf8(base + static_cast<char32_t>(first + 21 * 28));
    for (std::string& t : TermsBetween(db, lo, hi)) out.push_back(std::move(t));
  };
  const char32_t last = w.back();
  if (text::IsCompatibilityConsonant(last)) {
    const int initial = text::InitialIndexOfConsonant(last);
    w.pop_back();
    if (initial >= 0 && !w.empty()) add_syllable_range(w, initial);
    return out;
  }
  std::string prefix = text::ToUtf8(w);
  std::string after = prefix;
  after.push_back('\xff');  // above every UTF-8 continuation
  for (std::string& t : TermsBetween(db, prefix, after)) {
    if (t != prefix) out.push_back(std::move(t));
  }
  if (text::IsHangulSyllable(last)) {
    const int moved = text::FinalAsInitial(text::FinalIndexOf(last));
    if (moved >= 0) {
      w.back() = text::WithoutFinal(last);
      add_syllable_range(w, moved);
    }
  }
  return out;
}

// One consonant repeated (ㅋㅋ, ㅎㅎㅎ, ㄷㄷ, ㄱㄱ, ㅇㅇ): laughter, an
// interjection or a chat reply, as common in chat as it is useless as
// initials. Read as 초성 it ranked any title word with those initials (쿠키
// for ㅋㅋ, 가격 for ㄱㄱ) above the words asked for; a two-syllable word
// whose syllables share their initial (제주: ㅈㅈ) is not found by them.
bool IsChat(const std::u32string& initials) {
  return initials.size() >= 2 && initials.find_first_not_of(initials[0]) == std::u32string::npos;
}

// Term frequencies over every shard, each looked up once per query: the
// typo check and the common-term rule both need a stem's.
class TermFreqs {
 public:
  explicit TermFreqs(const Xapian::Database& db) : db_(db) {}
  Xapian::doccount operator()(const std::string& term) {
    auto [it, fresh] = freqs_.try_emplace(term, 0);
    if (fresh) it->second = db_.get_termfreq(term);
    return it->second;
  }
  const Xapian::Database& db() const { return db_; }

 private:
  const Xapian::Database& db_;
  std::map<std::string, Xapian::doccount> freqs_;
};

Xapian::Query Or(const std::vector<Xapian::Query>& parts) {
  if (parts.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// One OR-ed part of the plain words: a term (a stem or a bigram, perhaps
// scaled), or a composite (초성, completions) with `term` empty.
struct Part {
  Xapian::Query query;
  std::string term;
};

// The plain words' parts, with the terms held by more than `common_share`
// of the questions adding weight only to questions the other parts find
// (OP_AND_MAYBE), on a large index; an empty query when no term is common.
// Xapian's OR visits every question holding any of its terms, and a term
// most questions hold cannot rank a question on its own; small indexes are
// fast either way, and there a share of a few questions says little about
// how common a word is.
Xapian::Query WithoutCommonTerms(const std::vector<Part>& parts, TermFreqs& freqs,
                                 double common_share) {
  const Xapian::doccount docs = freqs.db().get_doccount();
  if (common_share <= 0 || common_share >= 1 || docs < kMinDocsForCommonTerms) return {};
  const double common_above = common_share * docs;
  std::vector<Xapian::Query> finding, weighing;
  for (const Part& p : parts) {
    const bool common = !p.term.empty() && freqs(p.term) > common_above;
    (common ? weighing : finding).push_back(p.query);
  }
  if (finding.empty() || weighing.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, Or(finding), Or(weighing));
}

// Keeps the parts of the `max_terms` terms with the highest count × IDF in
// `parts` (a term repeated in a draft is central to it), as Lucene's
// MoreLikeThis picks a document's terms; terms no question holds and
// composite parts go. A long draft's every word would make an OR of a
// hundred terms, visiting most of the engine, while a few rare ones find
// the questions like it.
void KeepMostTelling(std::vector<Part>& parts, TermFreqs& freqs, std::size_t max_terms) {
  std::map<std::string, int> count;
  for (const Part& p : parts) {
    if (!p.term.empty() && freqs(p.term) > 0) ++count[p.term];
  }
  const double docs = freqs.db().get_doccount();
  std::vector<std::pair<double, std::string>> by_weight;
  for (const auto& [term, n] : count) {
    by_weight.emplace_back(-n * std::log(docs / freqs(term)), term);  // heaviest first
  }
  std::sort(by_weight.begin(), by_weight.end());
  std::set<std::string> kept;
  for (std::size_t i = 0; i < by_weight.size() && i < max_terms; ++i) {
    kept.insert(by_weight[i].second);
  }
  std::erase_if(parts, [&](const Part& p) { return !kept.count(p.term); });
}

std::vector<std::string> StemBigrams(const std::string& stem) {
  std::vector<std::string> bigrams = text::Bigrams(stem);
  if (bigrams.size() > kMaxBigramsPerStem) bigrams.resize(kMaxBigramsPerStem);
  return bigrams;
}

Xapian::Query OrOf(const std::vector<Part>& parts) {
  std::vector<Xapian::Query> all;
  for (const Part& p : parts) all.push_back(p.query);
  return Or(all);
}

}  // namespace

BuiltQuery BuildQuery(const ParsedQuery& parsed, const Xapian::Database& db, bool as_you_type,
                      double common_share, const std::map<std::string, std::string>& corrections) {
  BuiltQuery built;
  TermFreqs freqs(db);
  std::vector<Part> should;
  const auto add_bigram = [&](const std::string& bigram) {
    const std::string term = Term(kBigram, bigram);
    should.push_back({Xapian::Query(term), term});
  };
  // A Hangul stem of two or more syllables is searched by its bigrams
  // alone: they are in every question the stem is in, and searching the
  // stem beside them ranked no better on the quality fixtures while adding
  // a posting list per shard (docs/search.md). Other stems (Latin words,
  // numbers, one syllable) are terms.
  std::set<std::string> seen;
  const auto add_stem = [&](const std::string& stem, bool hangul) {
    if (seen.size() >= kMaxStems || !seen.insert(stem).second) return;
    built.stems.insert(stem);
    const std::vector<std::string> bigrams =
        hangul ? StemBigrams(stem) : std::vector<std::string>();
    if (bigrams.empty()) {
      should.push_back({Xapian::Query(stem), stem});
      return;
    }
    for (const std::string& b : bigrams) {
      built.bigrams.insert(b);
      add_bigram(b);
    }
    built.by_bigrams.push_back(stem);
    auto c = corrections.find(stem);
    if (c != corrections.end()) {
      should.push_back({Xapian::Query(c->second), c->second});
      built.stems.insert(c->second);
    }
  };

  std::string previous_hangul;  // the last plain Hangul stem, for junctions
  for (std::size_t i = 0; i < parsed.words.size(); ++i) {
    const std::string& word = parsed.words[i];
    const bool last_open = parsed.last_word_open && i + 1 == parsed.words.size();
    // NFC, not NFKC: NFKC turns compatibility jamo into conjoining ones.
    const std::string folded = text::Nfc(word);
    if (text::IsInitialsOnly(folded)) {
      if (text::CodePointCount(folded) < 2 || IsChat(text::ToUtf32(folded))) continue;
      if (seen.size() >= kMaxStems || !seen.insert(folded).second) continue;
      Xapian::Query initials(Term(kInitials, folded));
      if (last_open) {
        initials = Xapian::Query(Xapian::Query::OP_OR, initials,
                                 Xapian::Query(Xapian::Query::OP_WILDCARD, Term(kInitials, folded),
                                               kMaxCompletions));
      }
      // A deliberate 초성 query outweighs incidental word matches.
      should.push_back({Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, initials, 4.0), ""});
      continue;
    }
    const std::vector<text::Token> tokens = text::Tokenize(word);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      const text::Token& t = tokens[k];
      if (text::IsJamoOnly(t.stem)) {  // ㅠㅠ: an emoticon, not a word to rank by
        previous_hangul.clear();
        continue;
      }
      if (t.hangul && seen.size() < kMaxStems) {
        const std::string junction =
            !previous_hangul.empty() ? text::JunctionBigram(previous_hangul, t.stem)
            : k > 0                  ? text::NumberBigram(tokens[k - 1], t)
                                     : "";
        if (!junction.empty() && built.bigrams.insert(junction).second) add_bigram(junction);
      }
      previous_hangul = t.hangul ? t.stem : "";
      add_stem(t.stem, t.hangul);
    }
    const bool typing = last_open && (as_you_type || text::IsCompatibilityConsonant(
                                                         text::ToUtf32(folded).back()));
    if (typing) {
      const std::vector<std::string> completions = Completions(db, word);
      if (!completions.empty()) {
        for (const std::string& c : completions) built.stems.insert(c);
        should.push_back(
            {Xapian::Query(Xapian::Query::OP_SYNONYM, completions.begin(), completions.end()), ""});
      }
    }
  }

  std::vector<Xapian::Query> required;
  for (const std::string& phrase : parsed.phrases) {
    if (required.size() >= kMaxStems) break;
    std::vector<text::Token> tokens = text::Tokenize(phrase);
    if (tokens.empty()) continue;
    if (tokens.size() == 1) {
      const text::Token& t = tokens[0];
      built.stems.insert(t.stem);
      std::vector<Xapian::Query> grams;
      for (const std::string& b : StemBigrams(t.stem)) {
        built.bigrams.insert(b);
        grams.emplace_back(Term(kBigram, b));
      }
      Xapian::Query q(t.stem);
      if (!grams.empty()) {
        q = Xapian::Query(Xapian::Query::OP_OR, q,
                          Xapian::Query(Xapian::Query::OP_AND, grams.begin(), grams.end()));
      }
      required.push_back(q);
      continue;
    }
    std::vector<Xapian::Query> words;
    for (const text::Token& t : tokens) {
      built.stems.insert(t.stem);
      words.emplace_back(t.stem);
    }
    required.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size());
  }

  // On a large index, where the common-term rule (on by default) looks
  // every term's frequency up anyway, terms no question holds (most
  // junctions between words that were not neighbours) are left out: they
  // match and weigh nothing, and each would cost a posting-list lookup in
  // every shard.
  if (db.get_doccount() >= kMinDocsForCommonTerms) {
    std::erase_if(should, [&](const Part& p) { return !p.term.empty() && freqs(p.term) == 0; });
  }
  if (parsed.max_terms > 0) KeepMostTelling(should, freqs, parsed.max_terms);
  const double docs = db.get_doccount();
  for (const Part& p : should) {
    const double n = p.term.empty() ? 0 : freqs(p.term);
    if (n > 0) built.term_weights[p.term] = std::log(1 + (docs - n + 0.5) / (n + 0.5));
  }
  Xapian::Query query;
  if (!required.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (!should.empty()) query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, OrOf(should));
  } else {
    query = OrOf(should);
    built.pruned = WithoutCommonTerms(should, freqs, common_share);
  }
  std::set<std::string> excluded_stems;
  for (const std::string& word : parsed.excluded) {
    for (const text::Token& t : text::Tokenize(word)) {
      if (excluded_stems.size() < kMaxStems) excluded_stems.insert(t.stem);
    }
  }
  std::vector<Xapian::Query> excluded(excluded_stems.begin(), excluded_stems.end());
  for (std::size_t i = 0; i < parsed.excluded_phrases.size() && i < kMaxStems; ++i) {
    const std::string& phrase = parsed.excluded_phrases[i];
    std::vector<Xapian::Query> words;
    for (const text::Token& t : text::Tokenize(phrase)) words.emplace_back(t.stem);
    if (words.size() == 1) excluded.push_back(words[0]);
    if (words.size() > 1) {
      excluded.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size());
    }
  }
  // A query whose words, phrases or exclusions all analysed to nothing
  // (only symbols: 🍜, "", -"🍜") matches nothing rather than everything;
  // beside a #tag, such words are nothing (#맛집 ㅋㅋ is #맛집), where they
  // emptied the page and sent the search to the no-match fallback, which
  // dropped the filter. An exclusion of words alone (-조림) leaves a feed.
  const bool typed_text =
      !parsed.words.empty() || !parsed.phrases.empty() ||
      (excluded.empty() && (!parsed.excluded.empty() || !parsed.excluded_phrases.empty()));
  built.has_text = !should.empty() || !required.empty() || (parsed.tags.empty() && typed_text);
  if (!built.has_text) query = Xapian::Query::MatchAll;

  if (!excluded.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Or(excluded));
    if (!built.pruned.empty()) {
      built.pruned = Xapian::Query(Xapian::Query::OP_AND_NOT, built.pruned, Or(excluded));
    }
  }

  for (const std::string& tag : parsed.tags) {
    if (built.tags.size() >= kMaxStems) break;
    std::string normalised = std::string(text::Trim(text::NfkcCasefold(tag)));
    if (!normalised.empty() && std::find(built.tags.begin(), built.tags.end(), normalised) ==
                                   built.tags.end()) {
      built.tags.push_back(std::move(normalised));
    }
  }
  built.query = query;
  return built;
}

}  // namespace dongne::search
