// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The opaque cursor of a question listing: the sort order and the position
// (store::ListKey) of the last question on the page. Positions are totally
// ordered (ids break ties), so paging from a position never skips or repeats
// a question, whichever shards hold them and whatever arrives meanwhile.

#ifndef DONGNE_ENGINE_LIST_CURSOR_H_
#define DONGNE_ENGINE_LIST_CURSOR_H_

#include <optional>
#include <string>
#include <string_view>

#include "dongne/types.h"
#include "store/shard_store.h"

namespace dongne {

std::string EncodeListCursor(ListSort sort, const store::ListKey& key);

// nullopt for an empty cursor; InvalidArgument for one this engine did not
// issue or that was issued for another sort order.
std::optional<store::ListKey> DecodeListCursor(ListSort sort, std::string_view cursor);

}  // namespace dongne

#endif  // DONGNE_ENGINE_LIST_CURSOR_H_
