// `duegate creditor add --config FILE --name NAME --intake ADDRESS [--email ADDR] [--iban IBAN] [--bic BIC]`
// prints {"id": N, "api_key": "..."}.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/AdminService.h"
#include "parsers/common/JsonWriter.h"

#include <iostream>

namespace duegate::cli {

int runCreditorAdd(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "name", "intake", "email", "iban", "bic"}); !bad.empty())
        throw UsageError{"creditor add: unknown option " + bad[0]};
    if (!args.get("name")) throw UsageError{"creditor add: --name NAME is required"};
    if (!args.get("intake")) throw UsageError{"creditor add: --intake ADDRESS is required"};
    auto rt = openRuntime(args);
    services::CreditorInput in{*args.get("name"), *args.get("intake"), args.get("email"), args.get("iban"),
                               args.get("bic")};
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

}  // namespace duegate::cli
