// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Question and answer ids: 52 bits, so they survive a trip through a
// JavaScript number.
//
//   bit 51..40  shard number (1..4095, from the catalog's shard registry)
//   bit 39      0 = question, 1 = answer
//   bit 38..0   sequence within the shard and kind (from 1)

#ifndef DONGNE_ENGINE_IDS_H_
#define DONGNE_ENGINE_IDS_H_

#include <cstdint>

#include "dongne/types.h"

namespace dongne {

enum class IdKind { kQuestion = 0, kAnswer = 1 };

inline constexpr int kMaxShards = 4095;
inline constexpr std::int64_t kMaxSequence = (std::int64_t{1} << 39) - 1;

inline constexpr Id MakeId(int shard, IdKind kind, std::int64_t sequence) {
  return (std::int64_t{shard} << 40) | (std::int64_t{static_cast<int>(kind)} << 39) | sequence;
}
inline constexpr int ShardOf(Id id) { return static_cast<int>(id >> 40); }
inline constexpr IdKind KindOf(Id id) { return static_cast<IdKind>((id >> 39) & 1); }
inline constexpr std::int64_t SequenceOf(Id id) { return id & kMaxSequence; }

// True for ids this library could have issued: positive, below 2^52, with a
// shard number and a sequence.
inline constexpr bool IsWellFormed(Id id) {
  return id > 0 && (id >> 52) == 0 && ShardOf(id) >= 1 && SequenceOf(id) >= 1;
}

}  // namespace dongne

#endif  // DONGNE_ENGINE_IDS_H_
