#include "gateway/cli/commands/Cli.h"

#include "gateway/cli/commands/Commands.h"

#include <Poco/Exception.h>

#include <exception>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace duegate::cli {
namespace {

struct Command {
    std::vector<std::string> words;  // "creditor", "add"
    std::string synopsis;
    std::function<int(const Args&, Io&)> run;
};

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {{"serve"}, "serve --config FILE", runServe},
        {{"migrate"}, "migrate --config FILE", runMigrate},
        {{"creditor", "add"},
         "creditor add --config FILE --name NAME --intake ADDRESS [--email ADDR] [--iban IBAN] [--bic BIC] "
         "[--collect-to creditor|agency] [--policy NAME] [--sender ADDR|@DOMAIN]... [--fee BP] "
         "[--sender-auth none|spf_or_dkim] [--keep none|costs|costs_and_interest]",
         runCreditorAdd},
        {{"creditor", "set"},
         "creditor set --config FILE --id ID [--email ADDR] [--iban IBAN] [--bic BIC] [--collect-to creditor|agency] "
         "[--policy NAME] [--sender ADDR|@DOMAIN]... [--fee BP] [--sender-auth none|spf_or_dkim] "
         "[--keep none|costs|costs_and_interest]",
         runCreditorSet},
        {{"user", "add"}, "user add --config FILE --email ADDR (--creditor ID | --staff) [--name NAME]", runUserAdd},
        {{"parse"}, "parse FILE [--format auto|coda|camt|mt940|ubl|eml|pdf|csv|xlsx]", runParse},
        {{"calc"}, "calc damages|interest|term|bik|ogm|rf|epc-qr|holidays|workdays ... (see README)", runCalc},
        {{"reprocess"}, "reprocess --config FILE (--item ID | --quarantined)", runReprocess},
        {{"dunning", "run"}, "dunning run --config FILE [--today YYYY-MM-DD]", runDunningRun},
        {{"task", "list"}, "task list --config FILE [--assignee EMAIL] [--due-by YYYY-MM-DD]", runTaskList},
        {{"mailbox", "add"},
         "mailbox add --config FILE --creditor ID --url pop3[s]|imap[s]://USER@HOST[:PORT][/FOLDER] "
         "(--password-file FILE | --password-env VAR) [--after delete|keep|move:FOLDER]",
         runMailboxAdd},
        {{"mailbox", "list"}, "mailbox list --config FILE [--creditor ID]", runMailboxList},
        {{"mailbox", "poll"}, "mailbox poll --config FILE", runMailboxPoll},
        {{"import"}, "import --config FILE [--creditor ID] FILE...", runImport},
        {{"payout", "run"}, "payout run --config FILE [--date YYYY-MM-DD]", runPayoutRun},
        {{"outbox", "list"}, "outbox list --config FILE", runOutboxList},
        {{"outbox", "release"}, "outbox release --config FILE --id ID --by WHO [--note TEXT]", runOutboxRelease},
        {{"outbox", "mark-sent"}, "outbox mark-sent --config FILE --id ID --by WHO [--note TEXT]", runOutboxMarkSent},
    };
    return table;
}

void usage(std::ostream& err) {
    err << "usage: duegate COMMAND [options]\n";
    for (const auto& c : commands()) err << "  duegate " << c.synopsis << "\n";
}

}  // namespace

int run(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "help") {
        usage(words.empty() ? err : out);
        return words.empty() ? 2 : 0;
    }
    for (const auto& c : commands()) {
        if (words.size() < c.words.size()) continue;
        if (!std::equal(c.words.begin(), c.words.end(), words.begin())) continue;
        Args args(std::vector<std::string>(words.begin() + static_cast<long>(c.words.size()), words.end()));
        Io io{in, out, err};
        try {
            return c.run(args, io);
        } catch (const UsageError& e) {
            err << "duegate: " << e.message << "\n";
            return 2;
        } catch (const Poco::Exception& e) {
            err << "duegate: " << e.displayText() << "\n";
            return 1;
        } catch (const std::exception& e) {
            err << "duegate: " << e.what() << "\n";
            return 1;
        }
    }
    err << "duegate: unknown command '" << words[0] << "'\n";
    usage(err);
    return 2;
}

}  // namespace duegate::cli
