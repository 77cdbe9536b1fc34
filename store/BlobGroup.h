// Many blobs into the caller's transaction at once: the SMTP intake's group commit
// (gateway/services/IntakeBatcher) puts every mail of a group with the group's rows.
// Kept apart from BlobStore.h, which nearly every file includes through services/Context.h.
#pragma once

#include "store/BlobStore.h"

#include <string_view>
#include <vector>

namespace duegate::store {

struct BlobIn {
    std::string_view sha256Hex;  // BlobStore::sha256Hex(bytes)
    std::string_view bytes;
};

// The same as BlobStore::putIn for each blob (each must be blobs.inTransaction(size), else
// StoreError before anything is written; one already stored, or twice in the group, is written
// once). On PostgreSQL the blobs go as bytea in one statement (one bytea[] parameter) instead of
// one round trip each, a blob of 1 MiB or more in a statement of its own (its bytes sent without a
// copy); on SQLite one INSERT each (in-process: nothing to save). Throws StoreError (the caller's
// transaction is then aborted).
void putAllIn(const BlobStore& blobs, Tx& tx, const std::vector<BlobIn>& group);

}  // namespace duegate::store
