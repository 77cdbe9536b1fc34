// DKIM signing with libopendkim, verified by libopendkim against a key record in a file.
#include "channels/DkimSigner.h"
#include "channels/OutboundMail.h"

#include <Poco/TemporaryFile.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace duegate::channels;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Keys {
    Poco::TemporaryFile dir;
    std::string keyFile, records;
    Keys() {
        dir.createDirectories();
        keyFile = dir.path() + "/dkim.pem";
        records = dir.path() + "/keys.txt";
        const std::string cmd = "openssl genrsa -out " + keyFile + " 2048 2>/dev/null && openssl rsa -in " + keyFile +
                                " -pubout -outform DER 2>/dev/null | base64 -w0 > " + dir.path() + "/pub.b64";
        BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0);
        std::ofstream(records) << "sel1._domainkey.duegate.example v=DKIM1; k=rsa; p=" << slurp(dir.path() + "/pub.b64")
                               << "\n";
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(dkim)

BOOST_AUTO_TEST_CASE(signed_mail_verifies_and_tampering_is_caught) {
    Keys keys;
    auto signer = DkimSigner::fromKeyFile(keys.keyFile, "sel1", "duegate.example");
    OutboundMail m;
    m.from = "Agency <reminders@duegate.example>";
    m.to = "jan@example.be";
    m.subject = "Herinnering factuur 2026-17 \xe2\x82\xac";
    m.textBody = "Beste Jan,\n\nU heeft nog 120,00 EUR open.\n";
    m.messageId = "abc@duegate.example";
    const std::string signedMail = signer->sign(renderMail(m, Poco::DateTime(2026, 11, 29, 9, 0, 0)));
    BOOST_TEST(signedMail.rfind("DKIM-Signature: ", 0) == 0u);
    BOOST_TEST(signedMail.find("d=duegate.example") != std::string::npos);
    BOOST_TEST(signedMail.find("s=sel1") != std::string::npos);
    std::string detail;
    BOOST_TEST(verifyDkim(signedMail, keys.records, &detail), detail);

    std::string tampered = signedMail;
    tampered.replace(tampered.find("120,00"), 6, "920,00");
    BOOST_TEST(!verifyDkim(tampered, keys.records, &detail));
}

BOOST_AUTO_TEST_CASE(bad_key_is_refused) {
    BOOST_CHECK_THROW(DkimSigner(DkimOptions{"not a key", "s", "d.example"}), std::runtime_error);
    BOOST_CHECK_THROW(DkimSigner::fromKeyFile("/nonexistent/key.pem", "s", "d.example"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
