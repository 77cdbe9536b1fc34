#include "gateway/services/LegalFile.h"

#include "gateway/core/Money.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/Secrets.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cstdio>
#include <sstream>

namespace duegate::services {
namespace {

std::string safeName(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    while (!out.empty() && out.front() == '.') out.erase(out.begin());
    return out.substr(0, 80);
}

std::string seq(std::size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%03zu", n);
    return buf;
}

std::string money(std::int64_t minor, const std::string& currency) { return core::Money(minor, currency).toString(); }

std::string csvLine(std::initializer_list<std::string> fields) {
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + csvField(f);
    return line + "\r\n";
}

}  // namespace

std::string csvField(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::optional<LegalFile> legalFile(Context& ctx, const Principal& who, std::int64_t dossierId) {
    auto ws = workspace(ctx, who, dossierId);
    if (!ws) return std::nullopt;
    const auto& s = ws->detail.summary;
    const auto& d = s.dossier;
    std::vector<std::pair<std::string, std::string>> files;  // path, bytes

    std::ostringstream summary;
    summary << "Dossier " << d.reference << "\nCreditor: " << s.creditorName << "\nStatus: " << d.status
            << "\nOpen: " << money(d.openMinor, d.currency) << "\nPaid: " << money(d.paidMinor, d.currency)
            << "\nCreated: " << d.createdAt << "\n\nDebtor: " << s.debtor.name << "\nE-mail: " << s.debtor.email.value_or("")
            << "\nPhone: " << s.debtor.phone.value_or("") << "\nAddress: " << s.debtor.street.value_or("") << ", "
            << s.debtor.postcode.value_or("") << " " << s.debtor.city.value_or("") << " " << s.debtor.country.value_or("")
            << "\nVAT: " << s.debtor.vatId.value_or("") << "\n\nPay to: " << d.payeeName.value_or("") << " "
            << d.payeeIban.value_or("") << " " << d.payeeBic.value_or("")
            << "\nPayment reference: " << d.paymentReference.value_or("") << "\n\nInvoices:\n";
    for (const auto& inv : s.invoices)
        summary << "  " << inv.documentType << " " << inv.number << " " << money(inv.amountMinor, inv.currency)
                << " issued " << inv.issueDate << " due " << inv.dueDate.value_or("") << "\n";
    summary << "\nAccepted by the debtor: "
            << (ws->acceptance ? ws->acceptance->acceptedAt + " (link " +
                                     (ws->acceptance->linkId ? std::to_string(*ws->acceptance->linkId) : "?") + ")"
                               : std::string("no"))
            << "\n";
    files.emplace_back("dossier.txt", summary.str());

    for (const auto& doc : ws->documents)
        if (auto bytes = ctx.blobs->get(doc.sha256))
            files.emplace_back("documents/" + std::to_string(doc.id) + "-" + safeName(doc.filename), *bytes);

    std::size_t n = 0;
    for (const auto& m : ws->detail.messages) {
        ++n;
        const std::string base = "messages/" + seq(n) + "-" + safeName(m.purpose);
        if (m.channel == "email") {
            std::string eml = "From: " + ctx.settings.agencyName + " <" + ctx.settings.mailFrom + ">\r\nTo: " +
                              m.recipient + "\r\nSubject: " + m.subject.value_or("") + "\r\n";
            if (m.messageId) eml += "Message-ID: " + *m.messageId + "\r\n";
            eml += "X-Duegate-State: " + m.state + "\r\nX-Duegate-Attempted: " + m.nextAttemptAt +
                   "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
                   "8bit\r\n\r\n" + m.body + "\r\n";
            files.emplace_back(base + ".eml", eml);
        } else {
            files.emplace_back(base + "." + safeName(m.channel) + ".txt",
                               "To: " + m.recipient + "\nState: " + m.state + "\n\n" + m.body + "\n");
        }
    }

    std::string timeline = csvLine({"at", "kind", "channel", "summary", "data"});
    for (const auto& e : ws->detail.events)
        timeline += csvLine({e.at, e.kind, e.channel.value_or(""), e.summary, e.data.value_or("")});
    files.emplace_back("timeline.csv", timeline);

    std::string tasks = csvLine({"id", "kind", "title", "details", "priority", "due_date", "state", "created_at"});
    for (const auto& t : ws->tasks)
        tasks += csvLine({std::to_string(t.id), t.kind, t.title, t.details.value_or(""), std::to_string(t.priority),
                          t.dueDate, t.state, t.createdAt});
    files.emplace_back("tasks.csv", tasks);

    std::string disputes = csvLine({"id", "created_at", "reason", "message", "after_acceptance", "state", "attachment"});
    for (const auto& x : ws->disputes)
        disputes += csvLine({std::to_string(x.id), x.createdAt, x.reason, x.message, x.afterAcceptance ? "yes" : "no",
                             x.state, x.documentId ? "documents/" + std::to_string(*x.documentId) + "-..." : ""});
    files.emplace_back("disputes.csv", disputes);

    LegalFile out;
    out.filename = "legal-file-" + safeName(d.reference) + ".zip";
    std::string manifest;
    for (const auto& [path, bytes] : files) {
        const std::string sum = sha256Hex(bytes);
        out.manifest.emplace_back(path, sum);
        manifest += sum + "  " + path + "\n";
    }
    files.emplace_back("manifest.sha256", manifest);

    std::ostringstream zip;
    Poco::Zip::Compress compress(zip, true);
    const Poco::DateTime now(ctx.clock->now());
    for (const auto& [path, bytes] : files) {
        std::istringstream in(bytes);
        compress.addFile(in, now, Poco::Path(path, Poco::Path::PATH_UNIX));
    }
    compress.close();
    out.zip = zip.str();
    return out;
}

}  // namespace duegate::services
