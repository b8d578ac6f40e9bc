// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine::Import: JSONL in batches. Each batch is parsed and validated line
// by line, then written in one catalog transaction (authors, ids, ext_ids)
// and one transaction per shard. Idempotent on ext_id: a line whose ext_id is
// stored changes nothing; one whose ext_id was reserved by an import that
// died before its shard write is stored now.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <tuple>
#include <variant>

#include <nlohmann/json.hpp>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "engine/engine_impl.h"
#include "engine/ids.h"
#include "engine/import_line.h"
#include "engine/parallel.h"
#include "engine/validate.h"
#include "ledger/ledger.h"
#include "text/unicode.h"

namespace dongne {
namespace {

using import::AnswerLine;
using import::Line;
using import::QuestionLine;

// A batch ends at whichever comes first. Two are in memory at once (one
// parsed, one written): the bytes bound that when lines are long, 30,000
// lines of 20 KB bodies being 600 MB. Each batch is one commit per shard,
// and a large index's commit rewrites B-tree blocks that many questions
// share, so fewer, larger commits write less: batches of 30,000 lines (8 MiB
// of generated questions, about 23,000) imported 1M in 176 s, batches of
// 10,000 in 204 s (docs/benchmarks.md).
constexpr std::size_t kBatchLines = 30000;
constexpr std::size_t kBatchBytes = 8 << 20;
constexpr std::int64_t kProgressEvery = 10000;
constexpr std::size_t kMaxReportedErrors = 100;

// Reads the next line into `text`, keeping at most `keep` bytes of it, so
// a file without line breaks is not read into memory whole (ParseLine then
// fails the line as too long). `length` is the whole line's. False at the
// end of the input, and after a read error, which sets `in`'s badbit as
// std::getline would.
bool ReadLine(std::istream& in, std::string& text, std::size_t keep, std::size_t& length) {
  text.clear();
  length = 0;
  std::streambuf& buffer = *in.rdbuf();
  try {
    for (;;) {
      const int c = buffer.sbumpc();
      if (c == std::char_traits<char>::eof()) return length > 0;
      if (c == '\n') return true;
      if (text.size() < keep) text.push_back(static_cast<char>(c));
      ++length;
    }
  } catch (const std::ios_base::failure&) {  // libstdc++'s filebuf on a failed read
    in.setstate(std::ios_base::badbit);
    return false;
  }
}

// Counts a failed line, keeping the kMaxReportedErrors lowest line numbers:
// a batch's lines can fail out of order (the catalog step finds its later
// lines' faults before its shards refuse earlier ones).
void Fail(ImportSummary& summary, std::int64_t line, const std::string& message) {
  ++summary.errors;
  std::vector<ImportError>& kept = summary.first_errors;
  if (kept.size() < kMaxReportedErrors) {
    kept.push_back({line, message});
    return;
  }
  const auto last = std::max_element(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return a.line < b.line;
  });
  if (line < last->line) *last = {line, message};
}

// Writes parsed batches. Not thread-safe: one batch at a time, though not
// necessarily on the thread that parsed it. Counts what it writes, and the
// lines that fail then, in its own summary.
class Importer {
 public:
  explicit Importer(Engine::Impl& engine) : engine_(engine) {}

  const ImportSummary& summary() const { return summary_; }

  void Write(std::vector<Line>& batch) {
    // Shards first: registering one is its own catalog transaction.
    std::vector<store::ShardStore*> shards(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (auto* q = std::get_if<QuestionLine>(&batch[i].item)) {
        shards[i] = &engine_.shards->Open(q->question.region);
      }
    }
    std::map<int, std::size_t> written;  // shard -> lines, for indexing
    for (std::size_t next = 0; next < batch.size();) {
      std::vector<Line> part = Reserve(batch, shards, next);
      Store<QuestionLine>(part, &store::ShardStore::InsertQuestions, summary_.questions_added);
      Store<AnswerLine>(part, &store::ShardStore::InsertAnswers, summary_.answers_added);
      Release();
      // Accepted answers wrote payout events; apply them before the next
      // part, whose lines may spend them.
      std::set<int> paying;
      for (const Line& line : part) {
        if (const auto* a = std::get_if<AnswerLine>(&line.item); a && a->answer.accepted) {
          paying.insert(ShardOf(a->answer.id));
        }
      }
      for (int no : paying) engine_.Deliver(*engine_.shards->Find(no));
      for (const Line& line : part) {
        if (line.unchanged) continue;
        if (const auto* q = std::get_if<QuestionLine>(&line.item)) {
          ++written[ShardOf(q->question.id)];
        } else {
          ++written[ShardOf(std::get<AnswerLine>(line.item).answer.id)];
        }
      }
    }
    // Index the batch, so the import's questions are searchable when it
    // returns (and indexing overlaps parsing the next batch). Shards in
    // parallel, as in Store: each index has its own writer.
    const std::vector<int> order = LargestFirst(written);
    ParallelFor(order.size(), [&](std::size_t i) {
      engine_.Index(*engine_.shards->Find(order[i])).CatchUp();
    });
  }

 private:
  // Authors, ids and ext_ids of the batch's lines from `next` on, in one
  // catalog transaction; returns the lines to store and advances `next` past
  // them. Lines that cannot be placed (an answer to an unknown question) are
  // failed and dropped. The part ends before a bounty its author cannot pay
  // until an accepted answer earlier in the part pays them: that line is
  // reserved again after the payout, so what an import stores does not
  // depend on where its batches end, nor on whether it ran before.
  std::vector<Line> Reserve(std::vector<Line>& batch,
                            const std::vector<store::ShardStore*>& shards, std::size_t& next) {
    const Timestamp now = engine_.Now();
    auto txn = engine_.catalog->Begin();
    placed_in_batch_.clear();
    std::map<std::string, User> authors;
    std::set<std::string> payees;  // authors of the part's accepted answers
    // The questions this part's answers may go to, as the part leaves them
    // (of its own questions, the state only: id, author, status).
    std::map<Id, Question> answered;
    std::vector<Line> kept;
    for (; next < batch.size(); ++next) {
      Line& line = batch[next];
      // A savepoint per line: a line that fails here (an unknown question,
      // a bounty its author cannot pay) leaves nothing in the transaction.
      txn.db().Prepare("SAVEPOINT line")->Run();
      bool new_author = false;
      std::optional<std::pair<IdKind, std::string>> placed;  // a fresh ext_id of this line
      // The line's author, created on first sight; only for a line to be
      // stored, so an unchanged one (its ext_id taken) creates no one.
      const auto author = [&]() -> Id {
        auto [it, fresh] = authors.try_emplace(line.author);
        if (fresh) {
          new_author = true;
          it->second.id = txn.EnsureUser(line.author, now);
          it->second.nickname = line.author;
        }
        return it->second.id;
      };
      try {
        if (auto* q = std::get_if<QuestionLine>(&line.item)) {
          store::ShardStore& shard = *shards[next];
          line.unchanged = !Place(txn, shard, IdKind::kQuestion, q->question.ext_id, q->question.id);
          if (!line.unchanged) {
            placed.emplace(IdKind::kQuestion, q->question.ext_id);
            q->question.author_id = author();
            q->question.author = line.author;
            const std::int64_t fee = q->question.urgent ? engine_.options.points.urgent_fee : 0;
            try {
              ledger::HoldBounty(txn.db(), q->question.id, q->question.author_id,
                                 q->question.bounty, fee, q->question.created_at);
            } catch (const InsufficientPoints&) {
              // Named by nickname: a user new to this line is rolled back
              // with it, and its id given to the next one.
              throw InsufficientPoints(fmt::format("author \"{}\" cannot pay {} points here",
                                                   text::Printable(line.author),
                                                   q->question.bounty + fee));
            }
            // What RequireAnswerable reads, without copying the text.
            Question& state = answered[q->question.id];
            state.id = q->question.id;
            state.author_id = q->question.author_id;
          }
        } else {
          auto& a = std::get<AnswerLine>(line.item);
          const std::optional<Id> question = txn.FindExtId(IdKind::kQuestion, a.question_ext_id);
          if (!question) {
            throw NotFound(fmt::format("question_ext_id \"{}\" names no imported question",
                                       a.question_ext_id));
          }
          a.answer.question_id = *question;
          store::ShardStore& shard = engine_.ShardFor(*question, IdKind::kQuestion);
          line.unchanged = !Place(txn, shard, IdKind::kAnswer, a.answer.ext_id, a.answer.id);
          if (!line.unchanged) {
            placed.emplace(IdKind::kAnswer, a.answer.ext_id);
            a.answer.author_id = author();
            a.answer.author = line.author;
            // The shard would refuse the line: fail it here, where its new
            // author is rolled back with it.
            if (Question* to = AnsweredQuestion(shard, *question, answered)) {
              store::RequireAnswerable(*to, a.answer);
              if (a.answer.accepted) {
                to->status = QuestionStatus::kAccepted;
                to->accepted_answer = a.answer.id;
                payees.insert(line.author);
              }
            }
          }
        }
        txn.db().Prepare("RELEASE line")->Run();
        if (line.unchanged) ++summary_.unchanged;
        kept.push_back(std::move(line));
      } catch (const IOError&) {
        throw;
      } catch (const Corruption&) {
        throw;
      } catch (const Error& e) {
        txn.db().Prepare("ROLLBACK TO line")->Run();
        txn.db().Prepare("RELEASE line")->Run();
        if (new_author) authors.erase(line.author);  // its creation was rolled back
        if (placed) placed_in_batch_.erase(*placed);  // and its ext_id's reservation
        if (dynamic_cast<const InsufficientPoints*>(&e) && payees.count(line.author)) break;
        Fail(summary_, line.number, e.what());
      }
    }
    txn.Commit();
    return kept;
  }

  // Question `id` as this part leaves it so far: from `answered`, else as
  // stored (then remembered in `answered`); null if it is not stored.
  static Question* AnsweredQuestion(store::ShardStore& shard, Id id,
                                    std::map<Id, Question>& answered) {
    if (auto it = answered.find(id); it != answered.end()) return &it->second;
    std::optional<Question> stored = shard.GetQuestion(id);
    return stored ? &(answered[id] = std::move(*stored)) : nullptr;
  }

  // Sets `id` for `ext_id`: the stored one, or the one an earlier line of
  // this batch took (returns false: nothing to do), else a fresh one
  // (returns true).
  bool Place(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
             const std::string& ext_id, Id& id) {
    if (std::optional<Id> stored = engine_.StoredExtId(txn.FindExtId(kind, ext_id))) {
      id = *stored;
      return false;
    }
    auto [placed, fresh] = placed_in_batch_.try_emplace({kind, ext_id});
    if (!fresh) {
      id = placed->second;
      return false;
    }
    id = placed->second = engine_.NewId(txn, shard, kind, ext_id);
    return true;
  }

  // Drops the ext_id reservations of lines their shard refused, so a failed
  // line leaves nothing behind.
  void Release() {
    if (refused_.empty()) return;
    auto txn = engine_.catalog->Begin();
    for (const auto& [kind, ext_id, id] : refused_) {
      engine_.ForgetExtId(txn, *engine_.shards->Find(ShardOf(id)), kind, ext_id, id);
      if (kind == IdKind::kQuestion) ledger::RefundOrphan(txn.db(), id, engine_.Now());
    }
    txn.Commit();
    refused_.clear();
  }

  // What writing one shard's part of a batch came to.
  template <typename Item>
  struct ShardResult {
    int added = 0;
    std::vector<std::pair<std::int64_t, std::string>> failed;  // line number, message
    std::vector<std::tuple<IdKind, std::string, Id>> refused;
  };

  // Writes the batch's items of type T, one transaction per shard, shards in
  // parallel (each has its own writer connection and file); when a shard's
  // transaction is refused, retries its items one by one so that only the
  // offending lines fail.
  template <typename T, typename Item>
  void Store(const std::vector<Line>& batch,
             int (store::ShardStore::*insert)(std::span<const Item>), std::int64_t& added) {
    std::map<int, std::pair<std::vector<Item>, std::vector<std::int64_t>>> by_shard;
    for (const Line& line : batch) {
      const T* item = std::get_if<T>(&line.item);
      if (!item || line.unchanged) continue;
      const Item& value = Value(*item);
      auto& [items, lines] = by_shard[ShardOf(value.id)];
      items.push_back(value);
      lines.push_back(line.number);
    }
    const auto write_shard = [this, insert](int no, const std::vector<Item>& items,
                                            const std::vector<std::int64_t>& lines) {
      ShardResult<Item> result;
      store::ShardStore& shard = *engine_.shards->Find(no);
      try {
        result.added = (shard.*insert)(items);
      } catch (const IOError&) {
        throw;
      } catch (const Corruption&) {
        throw;
      } catch (const Error&) {
        for (std::size_t i = 0; i < items.size(); ++i) {
          try {
            result.added += (shard.*insert)(std::span<const Item>(&items[i], 1));
          } catch (const IOError&) {
            throw;
          } catch (const Corruption&) {
            throw;
          } catch (const Error& e) {
            result.failed.emplace_back(lines[i], e.what());
            result.refused.emplace_back(KindOf(items[i].id), items[i].ext_id, items[i].id);
          }
        }
      }
      return result;
    };
    // Every shard is done before a failure propagates, so no write outlives
    // the batch.
    std::map<int, std::size_t> sizes;
    for (const auto& [no, group] : by_shard) sizes[no] = group.first.size();
    const std::vector<int> order = LargestFirst(sizes);
    std::vector<ShardResult<Item>> results(order.size());
    ParallelFor(order.size(), [&](std::size_t i) {
      const auto& [items, lines] = by_shard.at(order[i]);
      results[i] = write_shard(order[i], items, lines);
    });
    for (ShardResult<Item>& result : results) {
      added += result.added;
      for (const auto& [line, message] : result.failed) Fail(summary_, line, message);
      for (auto& refusal : result.refused) refused_.push_back(std::move(refusal));
    }
  }

  static const Question& Value(const QuestionLine& line) { return line.question; }
  static const Answer& Value(const AnswerLine& line) { return line.answer; }

  Engine::Impl& engine_;
  ImportSummary summary_;
  std::vector<std::tuple<IdKind, std::string, Id>> refused_;
  // Ext_ids given ids by Reserve's transaction: a line repeating one is
  // unchanged, not a second question.
  std::map<std::pair<IdKind, std::string>, Id> placed_in_batch_;
};

}  // namespace

ImportSummary Engine::Import(const std::filesystem::path& path,
                             const std::function<void(const ImportProgress&)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound(fmt::format("cannot read {}", path.string()));
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);

  // This thread reads and parses; one batch at a time is written on another,
  // so parsing the next batch overlaps writing the last.
  ImportSummary summary;
  Importer importer(*impl_);
  std::future<void> writing;
  std::vector<Line> batch;
  std::size_t batch_bytes = 0;
  const auto flush = [&] {
    if (writing.valid()) writing.get();  // rethrows what the writer threw
    writing = std::async(std::launch::async,
                         [&importer, lines = std::move(batch)]() mutable { importer.Write(lines); });
    batch.clear();
    batch_bytes = 0;
  };
  ImportProgress report{.total_bytes = ec ? 0 : static_cast<std::int64_t>(size)};
  std::string text;
  std::size_t length = 0;
  std::int64_t number = 0;
  while (ReadLine(in, text, import::kMaxLineBytes + 1, length)) {
    ++number;
    report.bytes += static_cast<std::int64_t>(length) + 1;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    ++summary.lines;
    try {
      batch.push_back(import::ParseLine(text, number, impl_->Now()));
      batch_bytes += text.size();
      // Routed here, while the writer thread is busy with the last batch.
      if (auto* q = std::get_if<QuestionLine>(&batch.back().item)) {
        ShardSet::Route route = impl_->shards->Locate(q->question.location);
        q->question.region = std::move(route.key);
        q->question.neighborhood = std::move(route.neighborhood);
      }
    } catch (const Error& e) {
      Fail(summary, number, e.what());
    }
    if (batch.size() == kBatchLines || batch_bytes >= kBatchBytes) flush();
    if (progress && summary.lines % kProgressEvery == 0) {
      report.lines = summary.lines;
      progress(report);
    }
  }
  if (in.bad()) throw IOError(fmt::format("error reading {}", path.string()));
  flush();
  writing.get();

  const ImportSummary& written = importer.summary();
  summary.questions_added = written.questions_added;
  summary.answers_added = written.answers_added;
  summary.unchanged = written.unchanged;
  summary.errors += written.errors;
  summary.first_errors.insert(summary.first_errors.end(), written.first_errors.begin(),
                              written.first_errors.end());
  // Lines fail when parsed or when their batch is written: report the first
  // ones in file order.
  std::stable_sort(summary.first_errors.begin(), summary.first_errors.end(),
                   [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
  if (summary.first_errors.size() > kMaxReportedErrors) {
    summary.first_errors.resize(kMaxReportedErrors);
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) {
    report.lines = summary.lines;
    report.bytes = report.total_bytes;
    progress(report);
  }
  return summary;
}

}  // namespace dongne
