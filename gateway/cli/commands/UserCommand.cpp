// `duegate user add --config FILE --email ADDR (--creditor ID | --staff) [--name NAME]`
// reads the password from standard input (first line) and prints {"id": N}.
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/services/AdminService.h"
#include "parsers/common/JsonWriter.h"

#include <iostream>
#include <string>

namespace duegate::cli {

int runUserAdd(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "email", "creditor", "staff", "name"}); !bad.empty())
        throw UsageError{"user add: unknown option " + bad[0]};
    const auto email = args.get("email");
    if (!email) throw UsageError{"user add: --email ADDR is required"};
    const bool staff = args.flag("staff");
    const auto creditor = args.get("creditor");
    if (staff == creditor.has_value()) throw UsageError{"user add: give exactly one of --creditor ID and --staff"};
    if (staff && args.get("staff")) throw UsageError{"user add: --staff takes no value"};
    std::optional<std::int64_t> creditorId;
    if (creditor) {
        try {
            std::size_t used = 0;
            creditorId = std::stoll(*creditor, &used);
            if (used != creditor->size() || *creditorId <= 0) throw std::invalid_argument("x");
        } catch (const std::exception&) {
            throw UsageError{"user add: --creditor: expected a creditor id (a positive number), got '" + *creditor + "'"};
        }
    }
    std::string password;
    std::getline(io.in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    auto rt = openRuntime(args);
    try {
        const auto id = services::addUser(rt.ctx, services::UserInput{*email, creditorId, args.getOr("name", ""), password});
        parsers::JsonWriter w(0);
        w.beginObject().field("id", id).endObject();
        io.out << w.str() << "\n";
        return 0;
    } catch (const services::InputError& e) {
        throw UsageError{std::string("user add: ") + e.what()};
    }
}

}  // namespace duegate::cli
