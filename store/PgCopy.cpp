#include "store/PgCopy.h"

#include <libpq-fe.h>

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
