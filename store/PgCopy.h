// PostgreSQL COPY ... FROM STDIN for the store's bulk paths (a statement import's lines and their
// states; docs/performance.md, "Statement import"). A dialect-specific fast path behind the store's
// interface: callers above store/ never see it, and SQLite keeps the multi-row INSERTs.
//
// Why: a multi-row INSERT of 400 rows costs PostgreSQL a parse, a bind and an executor set-up of
// 8,400 untyped parameters and expressions per statement, about 3x what COPY of the same rows costs.
//
// Rows are written in COPY's text format (tab-separated, `\N` for NULL, backslash escapes).
// Errors: a constraint violation throws UniqueViolation, anything else StoreError, as store::Tx does;
// the transaction is then aborted, as after any failed statement.
// Thread-safety: a Tx per thread, as everywhere in store/.
#pragma once

#include "store/Sql.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::store::pgcopy {

class Rows {
public:
    Rows& null();
    Rows& text(std::string_view s);
    Rows& integer(std::int64_t n);
    Rows& textOrNull(const std::string& s) { return s.empty() ? null() : text(s); }  // "" -> NULL
    void endRow();

    const std::string& data() const { return _data; }
    std::size_t count() const { return _rows; }
    void clear() {
        _data.clear();
        _rows = 0;
        _first = true;
    }

private:
    void sep();
    std::string _data;
    std::size_t _rows = 0;
    bool _first = true;
};

// Runs `copySql` ("COPY table (columns) FROM STDIN") with the rows, in tx's transaction.
// Wait::Later returns as soon as the rows are sent: the server writes them while duegate goes on
// (parsing the next entries, matching), and the next statement on tx reads the result first
// (Tx::deferResult), so an error still aborts the transaction before anything else runs.
// onUnique, when set, turns a UNIQUE violation into the caller's own exception (it must throw).
enum class Wait { Now, Later };
void copyIn(Tx& tx, const std::string& copySql, const Rows& rows, Wait wait = Wait::Now,
            std::function<void(const UniqueViolation&)> onUnique = {});

// A PostgreSQL array literal ('{"a","b"}') of text values, for a `$n::text[]` parameter.
std::string textArray(const std::vector<std::string>& values);

}  // namespace duegate::store::pgcopy
