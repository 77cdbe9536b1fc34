#include "gateway/services/FileIntake.h"

#include "gateway/services/InvoiceImport.h"
#include "gateway/services/States.h"
#include "gateway/services/payments/PaymentService.h"
#include "parsers/common/JsonWriter.h"
#include "store/InboundRepository.h"

#include <fstream>
#include <sstream>

namespace duegate::services {
namespace {

// A read-only stream over bytes already in memory (no copy).
class ViewBuf : public std::streambuf {
public:
    explicit ViewBuf(std::string_view v) {
        char* p = const_cast<char*>(v.data());
        setg(p, p, p + v.size());
    }

protected:
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        char* target = dir == std::ios_base::beg ? eback() + off : dir == std::ios_base::cur ? gptr() + off : egptr() + off;
        if (target < eback() || target > egptr()) return pos_type(off_type(-1));
        setg(eback(), target, egptr());
        return pos_type(target - eback());
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }
};

std::string statementJson(const std::string& file, const payments::StatementOutcome& o) {
    parsers::JsonWriter w(0);
    w.beginObject();
    w.field("file", file);
    w.field("kind", "statement");
    w.field("statements", static_cast<std::int64_t>(o.statements));
    w.field("entries", static_cast<std::int64_t>(o.entries));
    w.field("duplicates", static_cast<std::int64_t>(o.duplicates));
    w.field("matched", static_cast<std::int64_t>(o.matched));
    w.field("suggested", static_cast<std::int64_t>(o.suggested));
    w.field("unmatched", static_cast<std::int64_t>(o.unmatched));
    w.endObject();
    return w.str();
}

std::string invoicesJson(const std::string& file, const InvoiceImportOutcome& o) {
    parsers::JsonWriter w(0);
    w.beginObject();
    w.field("file", file);
    w.field("kind", "invoices");
    w.field("created", static_cast<std::int64_t>(o.created));
    w.field("duplicates", static_cast<std::int64_t>(o.duplicates));
    w.field("held", static_cast<std::int64_t>(o.held));
    w.key("errors").beginArray();
    for (const auto& e : o.errors) {
        w.beginObject();
        w.field("row", static_cast<std::int64_t>(e.row));
        w.field("column", e.column);
        w.field("message", e.message);
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.str();
}

// The inbound item of a file from a creditor's door, in the caller's transaction.
std::optional<std::int64_t> recordItem(Context& ctx, store::Tx& tx, std::optional<std::int64_t> creditorId,
                                       const std::string& door, const std::string& sha, std::uint64_t size) {
    if (!creditorId) return std::nullopt;
    store::InboundItemRecord item;
    item.creditorId = *creditorId;
    item.kind = "file";
    item.sha256 = sha;
    item.size = static_cast<std::int64_t>(size);
    item.remoteAddress = door;
    return store::inbound::insertReceived(tx, item, ctx.now()).id;
}

void settleItem(Context& ctx, store::Tx& tx, std::optional<std::int64_t> itemId, const std::string& to,
                const std::optional<std::string>& error) {
    if (!itemId) return;
    requireTransition(Machine::InboundItem, "received", to);
    store::inbound::transition(tx, *itemId, "received", to, error, ctx.now());  // no-op when settled before
}

FileOutcome rejected(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                     const std::string& sha, std::uint64_t size, const std::string& kind, const std::string& error) {
    FileOutcome out;
    out.kind = kind;
    out.quarantined = true;
    out.error = error;
    // Quarantine keeps the original: the bytes are in the blob store, the item says why.
    out.itemId = ctx.db->transaction([&](store::Tx& tx) {
        auto id = recordItem(ctx, tx, creditorId, door, sha, size);
        settleItem(ctx, tx, id, "quarantined", error);
        return id;
    });
    return out;
}

FileOutcome process(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                    const std::string& filename, const std::string& sha, std::uint64_t size, std::istream& in,
                    std::string_view head, const std::function<std::string_view()>& wholeBytes) {
    FileOutcome out;
    if (payments::sniffStatement(head)) {
        out.kind = "statement";
        payments::StatementSource src;
        src.door = door;
        src.creditorId = creditorId;
        src.sha256 = sha;
        std::optional<std::int64_t> item;
        src.begin = [&](store::Tx& tx) { return item = recordItem(ctx, tx, creditorId, door, sha, size); };
        src.end = [&](store::Tx& tx) { settleItem(ctx, tx, item, "applied", std::nullopt); };
        try {
            const auto o = payments::importStatement(ctx, in, head, src);
            out.applied = true;
            out.itemId = item;
            out.json = statementJson(filename, o);
            out.statement = o;
        } catch (const payments::Rejected& e) {
            return rejected(ctx, creditorId, door, sha, size, out.kind, e.what());
        }
        return out;
    }
    if (!sniffInvoiceFile(head)) {
        return rejected(ctx, creditorId, door, sha, size, "unknown",
                        "neither a bank statement (CODA, CAMT, MT940) nor an invoice file (UBL, CSV or XLSX "
                        "template, PDF, .eml)");
    }
    out.kind = "invoices";
    if (!creditorId)
        return rejected(ctx, creditorId, door, sha, size, out.kind,
                        "an invoice file needs the creditor it is for (--creditor ID)");
    try {
        std::optional<std::int64_t> item;
        const auto o = importInvoiceFile(ctx, *creditorId, filename, wholeBytes(), sha,
                                         [&](store::Tx& tx) { return item = recordItem(ctx, tx, creditorId, door, sha, size); },
                                         [&](store::Tx& tx) { settleItem(ctx, tx, item, "applied", std::nullopt); });
        out.applied = true;
        out.itemId = item;
        out.json = invoicesJson(filename, o);
    } catch (const InvoiceFileRejected& e) {
        return rejected(ctx, creditorId, door, sha, size, out.kind, e.what());
    }
    return out;
}

}  // namespace

FileOutcome importFile(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                       const std::string& filename, std::string_view bytes) {
    const std::string sha = ctx.blobs->put(bytes);  // durable before anything else happens
    ViewBuf buf(bytes);
    std::istream in(&buf);
    return process(ctx, creditorId, door, filename, sha, bytes.size(), in, bytes.substr(0, 1 << 20),
                   [bytes] { return bytes; });
}

FileOutcome importFilePath(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                           const std::string& filename, const std::string& path) {
    // Streamed into the blob store (durable before anything else happens), then read back from it
    // as a stream: what is parsed is exactly what is kept, and neither is held whole in memory.
    const std::string sha = ctx.blobs->putFile(path);
    auto in = ctx.blobs->open(sha);
    if (!in) throw store::StoreError("blob " + sha + " vanished after it was stored");
    std::string head(1 << 20, '\0');
    in->read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in->gcount()));
    in->clear();
    in->seekg(0);
    const std::uint64_t size = ctx.blobs->size(sha).value_or(0);
    // Invoice files are taken whole (UBL, CSV/XLSX templates, PDF, .eml): read only for them.
    std::string whole;
    return process(ctx, creditorId, door, filename, sha, size, *in, head, [&]() -> std::string_view {
        if (whole.empty()) whole = ctx.blobs->get(sha).value_or(std::string());
        return whole;
    });
}

}  // namespace duegate::services
