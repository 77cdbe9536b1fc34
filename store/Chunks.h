// How the store splits a multi-row statement (INSERT ... VALUES (...),(...), IN lists) into chunks.
//
// On SQLite the sizes recur: `max` rows while that many remain, then runs of 64, 16, 4 and 1, so a
// batch of 40 rows is four statements of 16, 16, 4 and 4 rows whose texts the transaction has
// already compiled (store/Sql.h keeps them) instead of one new text to compile for every distinct
// row count (compiling a multi-row statement costs more than running it; docs/performance.md,
// "Statement import"). On PostgreSQL, where each statement is a round trip and is planned anyway,
// a chunk is simply up to `max` rows.
#pragma once

#include "store/Sql.h"

#include <cstddef>
#include <initializer_list>

namespace duegate::store {

// The end of the chunk that starts at `start` of `n` rows (start < n).
inline std::size_t chunkEnd(Dialect d, std::size_t start, std::size_t n, std::size_t max) {
    const std::size_t left = n - start;
    if (left >= max || d != Dialect::SQLite) return start + (left < max ? left : max);
    for (const std::size_t size : {std::size_t(64), std::size_t(16), std::size_t(4)})
        if (size < max && left >= size) return start + size;
    return start + 1;
}

}  // namespace duegate::store
