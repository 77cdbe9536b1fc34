#include "store/PgCopy.h"

#include <libpq-fe.h>

#include <limits>

namespace duegate::store::pgcopy {

void Rows::sep() {
    if (!_first) _data += '\t';
    _first = false;
}

Rows& Rows::null() {
    sep();
    _data += "\\N";
    return *this;
}

Rows& Rows::text(std::string_view s) {
    sep();
    for (const char c : s) {
        switch (c) {
            case '\\': _data += "\\\\"; break;
            case '\t': _data += "\\t"; break;
            case '\n': _data += "\\n"; break;
            case '\r': _data += "\\r"; break;
            default: _data += c;
        }
    }
    return *this;
}

Rows& Rows::integer(std::int64_t n) {
    sep();
    _data += std::to_string(n);
    return *this;
}

void Rows::endRow() {
    _data += '\n';
    _first = true;
    ++_rows;
}

namespace {

[[noreturn]] void fail(PGconn* pg, PGresult* r, const std::string& sql) {
    std::string text = r ? PQresultErrorMessage(r) : PQerrorMessage(pg);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const bool unique = state && std::string(state) == "23505";
    if (state) text += std::string(" (SQLSTATE ") + state + ")";
    if (r) PQclear(r);
    if (unique) throw UniqueViolation(text);
    throw StoreError(text + " [in: " + sql.substr(0, 160) + "]");
}

// Reads every result the connection has left; the first that is not COMMAND_OK is the error.
void finish(PGconn* pg, const std::string& sql) {
    PGresult* bad = nullptr;
    while (PGresult* r = PQgetResult(pg)) {
        if (!bad && PQresultStatus(r) != PGRES_COMMAND_OK) bad = r;
        else PQclear(r);
    }
    if (bad) fail(pg, bad, sql);
}

}  // namespace

void copyIn(Tx& tx, const std::string& copySql, const Rows& rows, Wait wait,
            std::function<void(const UniqueViolation&)> onUnique) {
    PGconn* pg = tx.postgresConnection();
    if (!pg) throw StoreError("store: COPY needs a PostgreSQL connection");
    if (rows.count() == 0) return;
    tx.deferResult({});  // a COPY not waited for before this one: its result first
    PGresult* start = PQexec(pg, copySql.c_str());
    if (!start || PQresultStatus(start) != PGRES_COPY_IN) {
        // Not in COPY mode: nothing more to read than this result (and any after it).
        if (start && PQresultStatus(start) != PGRES_COPY_IN) {
            std::string text = PQresultErrorMessage(start);
            PQclear(start);
            while (PGresult* r = PQgetResult(pg)) PQclear(r);
            throw StoreError("COPY did not start: " + text + " [in: " + copySql.substr(0, 160) + "]");
        }
        fail(pg, start, copySql);
    }
    PQclear(start);
    const auto& d = rows.data();
    constexpr std::size_t kPiece = 1 << 20;  // libpq copies what it is given into its output buffer
    bool sent = true;
    for (std::size_t at = 0; at < d.size() && sent; at += kPiece) {
        const std::size_t n = std::min(kPiece, d.size() - at);
        sent = PQputCopyData(pg, d.data() + at, static_cast<int>(n)) == 1;
    }
    // On a failed send, end the COPY with an error so the server aborts it and the connection
    // leaves COPY mode; the results then say what went wrong.
    if (PQputCopyEnd(pg, sent ? nullptr : "duegate: sending COPY data failed") != 1)
        throw StoreError(std::string("COPY: ") + PQerrorMessage(pg));
    auto collect = [pg, copySql, onUnique = std::move(onUnique)] {
        try {
            finish(pg, copySql);
        } catch (const UniqueViolation& e) {
            if (onUnique) onUnique(e);
            throw;
        }
    };
    if (!sent) {
        collect();
        throw StoreError(std::string("COPY: sending data failed: ") + PQerrorMessage(pg));
    }
    if (wait == Wait::Later) tx.deferResult(std::move(collect));
    else collect();
}

namespace {

void putInt32(std::string& out, std::uint32_t v) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
    out.append(b, 4);
}

void putInt64(std::string& out, std::int64_t n) {
    const auto v = static_cast<std::uint64_t>(n);
    putInt32(out, static_cast<std::uint32_t>(v >> 32));
    putInt32(out, static_cast<std::uint32_t>(v));
}

std::uint32_t length32(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw StoreError("store: a parameter value over 2 GB");
    return static_cast<std::uint32_t>(n);
}

}  // namespace

Param int8(std::int64_t n) {
    Param p;
    p.type = kInt8;
    putInt64(p.owned, n);
    return p;
}

Param text(std::string_view s) {
    Param p;
    p.type = kText;
    p.view = s;
    return p;
}

Param bytea(std::string_view b) {
    Param p;
    p.type = kBytea;
    p.view = b;
    return p;
}

Array& Array::add(std::string_view bytes) {
    putInt32(_body, length32(bytes.size()));
    _body.append(bytes);
    ++_count;
    return *this;
}

Array& Array::add(std::int64_t n) {
    putInt32(_body, 8);
    putInt64(_body, n);
    ++_count;
    return *this;
}

Array& Array::addNull() {
    putInt32(_body, 0xFFFFFFFFu);  // -1: NULL
    _hasNull = true;
    ++_count;
    return *this;
}

Param Array::param() {
    // array_send's layout: dimensions, has-null flag, element type, then per dimension its size
    // and lower bound (1), then each element as a length (-1: NULL) and its bytes.
    Param p;
    p.type = _element == kInt8 ? kInt8Array : _element == kText ? kTextArray : _element == kBytea ? kByteaArray : 0;
    if (p.type == 0) throw StoreError("store: no array type for element type " + std::to_string(_element));
    std::string header;
    putInt32(header, 1);
    putInt32(header, _hasNull ? 1 : 0);
    putInt32(header, _element);
    putInt32(header, length32(_count));
    putInt32(header, 1);
    _body.replace(0, header.size(), header);
    p.owned = std::move(_body);
    _body.assign(20, '\0');
    _count = 0;
    _hasNull = false;
    return p;
}

void copyInBinary(Tx& tx, const std::string& copySql, const std::vector<std::vector<Param>>& rows, Wait wait) {
    PGconn* pg = tx.postgresConnection();
    if (!pg) throw StoreError("store: COPY needs a PostgreSQL connection");
    if (rows.empty()) return;
    tx.deferResult({});
    PGresult* start = PQexec(pg, copySql.c_str());
    if (!start || PQresultStatus(start) != PGRES_COPY_IN) {
        while (PGresult* r = PQgetResult(pg)) PQclear(r);
        fail(pg, start, copySql);
    }
    PQclear(start);
    // The binary COPY layout: a signature, flags and header extension length; per row the field
    // count, then per field its length (-1: NULL) and bytes; -1 as field count at the end.
    std::string small("PGCOPY\n\377\r\n\0", 11);
    putInt32(small, 0);
    putInt32(small, 0);
    bool sent = true;
    auto flush = [&] {
        if (sent && !small.empty()) sent = PQputCopyData(pg, small.data(), static_cast<int>(small.size())) == 1;
        small.clear();
    };
    constexpr std::size_t kInline = 8192;  // values up to this are gathered, larger ones sent as they are
    for (const auto& row : rows) {
        const auto fields = static_cast<std::uint16_t>(row.size());
        small += static_cast<char>(fields >> 8);
        small += static_cast<char>(fields & 0xFF);
        for (const auto& f : row) {
            if (f.null) {
                putInt32(small, 0xFFFFFFFFu);
                continue;
            }
            const auto v = f.value();
            putInt32(small, length32(v.size()));
            if (v.size() <= kInline) {
                small.append(v);
                continue;
            }
            flush();
            for (std::size_t at = 0; at < v.size() && sent; at += 1 << 20) {
                const std::size_t n = std::min<std::size_t>(1 << 20, v.size() - at);
                sent = PQputCopyData(pg, v.data() + at, static_cast<int>(n)) == 1;
            }
        }
        if (small.size() >= 65536) flush();
    }
    small += "\xFF\xFF";
    flush();
    if (PQputCopyEnd(pg, sent ? nullptr : "duegate: sending COPY data failed") != 1)
        throw StoreError(std::string("COPY: ") + PQerrorMessage(pg));
    auto collect = [pg, copySql] { finish(pg, copySql); };
    if (!sent) {
        collect();
        throw StoreError(std::string("COPY: sending data failed: ") + PQerrorMessage(pg));
    }
    if (wait == Wait::Later) tx.deferResult(std::move(collect));
    else collect();
}

std::vector<Row> query(Tx& tx, const std::string& sql, const std::vector<Param>& params, Results results) {
    PGconn* pg = tx.postgresConnection();
    if (!pg) throw StoreError("store: binary parameters need a PostgreSQL connection");
    tx.deferResult({});  // a COPY not waited for: its result first
    const int n = static_cast<int>(params.size());
    std::vector<Oid> types(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 1);
    for (std::size_t i = 0; i < params.size(); ++i) {
        types[i] = params[i].type;
        if (params[i].null) continue;
        const auto v = params[i].value();
        values[i] = v.data();
        lengths[i] = static_cast<int>(length32(v.size()));
    }
    PGresult* r = PQexecParams(pg, sql.c_str(), n, types.data(), values.data(), lengths.data(), formats.data(),
                                results == Results::Binary ? 1 : 0);
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(pg, r, sql);
    std::vector<Row> rows;
    const int count = PQntuples(r), cols = PQnfields(r);
    rows.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        std::vector<std::optional<std::string>> cells(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c)
            if (!PQgetisnull(r, i, c))
                cells[static_cast<std::size_t>(c)].emplace(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)));
        rows.emplace_back(std::move(cells));
    }
    PQclear(r);
    return rows;
}

std::string textArray(const std::vector<std::string>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

}  // namespace duegate::store::pgcopy
