// Sender authentication for creditors with sender_auth = spf_or_dkim: SPF through libspf2 with an
// in-memory zone, DKIM through libopendkim with a key file, and DMARC-style relaxed alignment.
// No DNS is used: the zone and the key file stand in for it.
#include "gateway/services/SenderAuth.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#define _Bool bool
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool

using namespace duegate::services;

namespace {

const std::string kMail =
    "From: Boekhouding <boekhouding@voorbeeld.example>\r\n"
    "To: invoices@voorbeeld.in.example\r\n"
    "Subject: Factuur F2026-0042\r\n"
    "Message-ID: <f42@voorbeeld.example>\r\n"
    "\r\n"
    "In bijlage onze factuur.\r\n";

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// A throwaway RSA key (openssl), its DKIM key record in a query file, and a signer.
struct DkimKeys {
    std::string dir, privatePem, keyFile;
    DkimKeys() {
        char tmpl[] = "/tmp/duegate-dkim-XXXXXX";
        dir = ::mkdtemp(tmpl);
        const std::string cmd = "openssl genrsa -out " + dir + "/k.pem 2048 2>/dev/null && openssl rsa -in " + dir +
                                "/k.pem -pubout -out " + dir + "/k.pub 2>/dev/null";
        BOOST_REQUIRE(std::system(cmd.c_str()) == 0);
        privatePem = slurp(dir + "/k.pem");
        std::string p;
        std::istringstream pub(slurp(dir + "/k.pub"));
        for (std::string line; std::getline(pub, line);)
            if (line.rfind("-----", 0) != 0) p += line;
        keyFile = dir + "/keys";
        std::ofstream(keyFile) << "sel._domainkey.voorbeeld.example v=DKIM1; k=rsa; p=" << p << "\n"
                               << "sel._domainkey.mailer.example v=DKIM1; k=rsa; p=" << p << "\n";
    }
    ~DkimKeys() { [[maybe_unused]] int rc = std::system(("rm -rf '" + dir + "'").c_str()); }

    std::string sign(const std::string& msg, const std::string& domain) const {
        DKIM_LIB* lib = dkim_init(nullptr, nullptr);
        DKIM_STAT st;
        DKIM* d = dkim_sign(lib, reinterpret_cast<const unsigned char*>("t"), nullptr,
                            reinterpret_cast<dkim_sigkey_t>(const_cast<char*>(privatePem.c_str())),
                            reinterpret_cast<const unsigned char*>("sel"),
                            reinterpret_cast<const unsigned char*>(domain.c_str()), DKIM_CANON_RELAXED,
                            DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &st);
        BOOST_REQUIRE(d != nullptr);
        dkim_chunk(d, reinterpret_cast<unsigned char*>(const_cast<char*>(msg.data())), msg.size());
        dkim_chunk(d, nullptr, 0);
        BOOST_REQUIRE(dkim_eom(d, nullptr) == DKIM_STAT_OK);
        unsigned char hdr[8192];
        BOOST_REQUIRE(dkim_getsighdr(d, hdr, sizeof hdr, std::strlen("DKIM-Signature: ")) == DKIM_STAT_OK);
        std::string out = "DKIM-Signature: " + std::string(reinterpret_cast<char*>(hdr)) + "\r\n" + msg;
        dkim_free(d);
        dkim_close(lib);
        return out;
    }
};

SenderAuthOptions zone(const std::string& keyFile = "") {
    SenderAuthOptions o;
    o.useDns = false;
    o.spfZone = {{"voorbeeld.example", "v=spf1 ip4:192.0.2.10 -all"},
                 {"mailer.example", "v=spf1 ip4:198.51.100.7 -all"}};
    o.dkimKeyFile = keyFile.empty() ? "/dev/null" : keyFile;
    return o;
}

SenderAuthInput input(const std::string& ip, const std::string& mailFrom, std::string_view raw) {
    return SenderAuthInput{"voorbeeld.example", mailFrom, ip, "mx.voorbeeld.example", raw};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sender_auth)

BOOST_AUTO_TEST_CASE(alignment_is_the_same_domain_or_a_subdomain) {
    BOOST_TEST(domainsAligned("voorbeeld.example", "Voorbeeld.Example"));
    BOOST_TEST(domainsAligned("mail.voorbeeld.example", "voorbeeld.example"));
    BOOST_TEST(domainsAligned("voorbeeld.example", "bounces.voorbeeld.example"));
    BOOST_TEST(!domainsAligned("evilvoorbeeld.example", "voorbeeld.example"));
    BOOST_TEST(!domainsAligned("mailer.example", "voorbeeld.example"));
    BOOST_TEST(ipOfRemote("192.0.2.10:4567") == "192.0.2.10");
    BOOST_TEST(ipOfRemote("[2001:db8::1]:25") == "2001:db8::1");
    BOOST_TEST(ipOfRemote("pop3://host:110") == "");
    BOOST_TEST(domainOf("a@B.Example") == "b.example");
}

BOOST_AUTO_TEST_CASE(spf_pass_from_the_listed_ip_with_an_aligned_envelope_is_enough) {
    SenderAuthenticator a(zone());
    auto v = a.check(input("192.0.2.10", "boekhouding@voorbeeld.example", kMail));
    BOOST_TEST(v.pass, v.reason);
    BOOST_TEST(v.spf == "pass");
    BOOST_TEST(v.dkim == "none");
}

BOOST_AUTO_TEST_CASE(spf_fail_from_another_ip_without_dkim_is_refused_with_the_reason) {
    SenderAuthenticator a(zone());
    auto v = a.check(input("203.0.113.5", "boekhouding@voorbeeld.example", kMail));
    BOOST_TEST(!v.pass);
    BOOST_TEST(v.spf == "fail");
    BOOST_TEST(v.reason.find("sender not authenticated: voorbeeld.example: SPF fail, DKIM none") == 0u, v.reason);
}

BOOST_AUTO_TEST_CASE(an_spf_pass_for_an_unaligned_envelope_domain_does_not_count) {
    SenderAuthenticator a(zone());
    auto v = a.check(input("198.51.100.7", "bounce@mailer.example", kMail));   // mailer.example's SPF passes
    BOOST_TEST(!v.pass);
    BOOST_TEST(v.spf.find("not aligned") == 0u, v.spf);
}

BOOST_AUTO_TEST_CASE(a_valid_aligned_dkim_signature_passes_from_any_ip) {
    DkimKeys keys;
    SenderAuthenticator a(zone(keys.keyFile));
    const auto signedMail = keys.sign(kMail, "voorbeeld.example");
    auto v = a.check(input("203.0.113.5", "bounce@mailer.example", signedMail));
    BOOST_TEST(v.pass, v.reason);
    BOOST_TEST(v.dkim == "pass (d=voorbeeld.example)");
}

BOOST_AUTO_TEST_CASE(a_tampered_body_breaks_the_signature) {
    DkimKeys keys;
    SenderAuthenticator a(zone(keys.keyFile));
    auto signedMail = keys.sign(kMail, "voorbeeld.example");
    signedMail.replace(signedMail.find("onze factuur"), 12, "ons IBAN nu ");
    auto v = a.check(input("203.0.113.5", "", signedMail));
    BOOST_TEST(!v.pass);
    BOOST_TEST(v.dkim == "fail");
}

BOOST_AUTO_TEST_CASE(a_valid_signature_of_another_domain_is_not_aligned) {
    DkimKeys keys;
    SenderAuthenticator a(zone(keys.keyFile));
    auto v = a.check(input("203.0.113.5", "", keys.sign(kMail, "mailer.example")));
    BOOST_TEST(!v.pass);
    BOOST_TEST(v.dkim == "not aligned (d=mailer.example)");
}

BOOST_AUTO_TEST_SUITE_END()
