// `duegate creditor add --config FILE --name NAME --intake ADDRESS [settings]` prints
// {"id": N, "api_key": "..."}; `duegate creditor set --config FILE --id ID [settings]` changes one.
// Settings (both): --email ADDR, --iban IBAN, --bic BIC, --collect-to creditor|agency,
// --policy NAME, --sender ADDR|@DOMAIN (repeatable), --fee BASIS_POINTS, --sender-auth none|spf_or_dkim,
// --keep none|costs|costs_and_interest (what the agency keeps of the recoverable amounts at payout).
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/AdminService.h"
#include "parsers/common/JsonWriter.h"

#include <charconv>
#include <iostream>

namespace duegate::cli {
namespace {

const std::vector<std::string> kSettings = {"config", "email", "iban", "bic", "collect-to", "policy",
                                            "sender", "fee", "sender-auth", "keep"};

std::int64_t wholeNumber(const std::string& option, const std::string& text) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || v < 0)
        throw UsageError{option + ": expected a whole number, got '" + text + "'"};
    return v;
}

services::CreditorChanges settingsFrom(const Args& args, const std::string& command) {
    services::CreditorChanges ch;
    ch.email = args.get("email");
    ch.iban = args.get("iban");
    ch.bic = args.get("bic");
    ch.collectTo = args.get("collect-to");
    ch.policy = args.get("policy");
    ch.senders = args.getAll("sender");
    ch.senderAuth = args.get("sender-auth");
    ch.payoutKeep = args.get("keep");
    if (auto fee = args.get("fee")) ch.feeBasisPoints = wholeNumber(command + ": --fee", *fee);
    for (const auto& k : {"email", "iban", "bic", "collect-to", "policy", "sender", "fee", "sender-auth", "keep"})
        if (args.has(k) && !args.get(k)) throw UsageError{command + ": --" + std::string(k) + " needs a value"};
    return ch;
}

}  // namespace

int runCreditorAdd(const Args& args, Io& io) {
    auto known = kSettings;
    known.insert(known.end(), {"name", "intake"});
    if (auto bad = args.unknown(known); !bad.empty()) throw UsageError{"creditor add: unknown option " + bad[0]};
    if (!args.get("name")) throw UsageError{"creditor add: --name NAME is required"};
    if (!args.get("intake")) throw UsageError{"creditor add: --intake ADDRESS is required"};
    services::CreditorInput in{*args.get("name"), *args.get("intake"), settingsFrom(args, "creditor add")};
    auto rt = openRuntime(args);
    try {
        const auto c = services::addCreditor(rt.ctx, in);
        parsers::JsonWriter w(0);
        w.beginObject().field("id", c.id).field("api_key", c.apiKey).endObject();
        io.out << w.str() << "\n";
        return 0;
    } catch (const services::InputError& e) {
        throw UsageError{std::string("creditor add: ") + e.what()};
    }
}

int runCreditorSet(const Args& args, Io& io) {
    auto known = kSettings;
    known.push_back("id");
    if (auto bad = args.unknown(known); !bad.empty()) throw UsageError{"creditor set: unknown option " + bad[0]};
    if (!args.get("id")) throw UsageError{"creditor set: --id ID is required"};
    const auto id = wholeNumber("creditor set: --id", *args.get("id"));
    const auto changes = settingsFrom(args, "creditor set");
    auto rt = openRuntime(args);
    try {
        services::setCreditor(rt.ctx, id, changes);
        parsers::JsonWriter w(0);
        w.beginObject().field("id", id).endObject();
        io.out << w.str() << "\n";
        return 0;
    } catch (const services::InputError& e) {
        throw UsageError{std::string("creditor set: ") + e.what()};
    } catch (const services::NotFound& e) {
        throw UsageError{std::string("creditor set: ") + e.what()};
    }
}

}  // namespace duegate::cli
