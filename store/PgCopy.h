// PostgreSQL COPY ... FROM STDIN for the store's bulk paths (a statement import's lines and their
// states; docs/performance.md, "Statement import"), and statements with binary parameters (raw
// bytes as bytea, a group's rows as array parameters: the SMTP intake's group commit). Dialect-specific
// fast paths behind the store's interface: callers above store/ never see them, and SQLite keeps
// its plain statements.
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
#include <optional>
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

// --- Statements with parameters in PostgreSQL's binary format ---
// Why: a mail's raw bytes as a bytea parameter cost the server a memcpy, where base64 text cost a
// third more bytes, an encode in duegate and the text input's UTF-8 check on the server; and a
// group's rows as one array parameter per column (INSERT ... SELECT FROM unnest($1::text[], ...))
// are one statement and one round trip instead of one per row.

// Type OIDs (pg_type) of the parameters used.
constexpr unsigned kInt8 = 20, kText = 25, kBytea = 17, kInt8Array = 1016, kTextArray = 1009, kByteaArray = 1001;

// One parameter: its type and its value in binary format, owned or viewed (a view must outlive
// the call: a mail's bytes are sent without a copy of ours).
struct Param {
    unsigned type = 0;
    std::string owned;
    std::optional<std::string_view> view;  // when set, the value (owned is ignored)
    bool null = false;
    std::string_view value() const { return view ? *view : std::string_view(owned); }
};
Param int8(std::int64_t n);
Param text(std::string_view s);   // a view
Param bytea(std::string_view b);  // a view

// A one-dimensional array parameter of int8, text or bytea, built element by element.
class Array {
public:
    explicit Array(unsigned elementType) : _element(elementType) {}
    Array& add(std::string_view bytes);  // a text's bytes (valid UTF-8) or a bytea's
    Array& add(std::int64_t n);
    Array& addOptional(const std::optional<std::string>& s) { return s ? add(std::string_view(*s)) : addNull(); }
    Array& addNull();
    std::size_t size() const { return _count; }
    void reserve(std::size_t bytes) { _body.reserve(_body.size() + bytes); }
    // The parameter (the array's type follows from the element type). Moves the elements out
    // (a group's mails are not copied twice): call it once.
    Param param();

private:
    unsigned _element;
    std::string _body = std::string(20, '\0');  // the header's place (param() fills it in), then the elements
    std::size_t _count = 0;
    bool _hasNull = false;
};

// Runs `sql` with binary parameters in tx's transaction (parsed and planned at each call: it is
// meant for one statement per group of rows). Rows come back as text, as from Tx::query, or with
// Results::Binary in binary format: a bytea column as its bytes (no hex encoding on the server and
// decoding here), a text column as its text, anything else must be cast to text in the query.
// Errors as store::Tx: UniqueViolation or StoreError, the transaction then aborted.
enum class Results { Text, Binary };
std::vector<Row> query(Tx& tx, const std::string& sql, const std::vector<Param>& params,
                       Results results = Results::Text);

// COPY ... FROM STDIN (FORMAT binary) of rows of binary values (copySql names the columns in the
// rows' order). A viewed value (a mail's bytes) goes to libpq without a copy of ours; the server
// neither plans a statement nor builds an array around the values. As copyIn: Wait::Later leaves the
// result to the next statement on tx; a UNIQUE violation throws UniqueViolation.
void copyInBinary(Tx& tx, const std::string& copySql, const std::vector<std::vector<Param>>& rows,
                  Wait wait = Wait::Now);

// A PostgreSQL array literal ('{"a","b"}') of text values, for a `$n::text[]` parameter.
std::string textArray(const std::vector<std::string>& values);

}  // namespace duegate::store::pgcopy
