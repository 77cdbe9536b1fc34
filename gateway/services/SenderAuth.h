// SenderAuth: does a mail really come from its From domain? For creditors with
// `sender_auth = spf_or_dkim` (creditor set --sender-auth), the ingest accepts a mail only when
//   - SPF (libspf2) passes for the envelope sender's domain with the client IP the listener
//     recorded, and that domain is aligned with the From domain; or
//   - a DKIM signature (libopendkim) verifies and its d= domain is aligned with the From domain.
// Alignment is DMARC's relaxed mode in a simple form: the same domain, or one a subdomain of the
// other (no public-suffix list: "example.co.uk" and "co.uk" would count as aligned, so a creditor
// should list its own domain, not a suffix, as its sender).
//
// DNS: real DNS by default. For tests and air-gapped setups, SPF records can come from an
// in-memory zone (libspf2 SPF_dns_zone) and DKIM keys from a file (opendkim DKIM_QUERY_FILE:
// lines "selector._domainkey.domain v=DKIM1; k=rsa; p=...").
// Errors: never throws for a bad mail (a verdict with its reason); throws std::runtime_error when
// the libraries cannot be set up. Thread-safety: check() may be called from several threads
// (each call has its own SPF server and DKIM handle; the DKIM library handle is shared, which
// opendkim allows).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace duegate::services {

struct SenderAuthInput {
    std::string fromDomain;    // the From header's domain (what the debtor would see)
    std::string mailFrom;      // envelope sender (MAIL FROM), may be empty
    std::string clientIp;      // the connecting client's IP, "" when unknown (polled mail)
    std::string heloName;      // may be empty
    std::string_view raw;      // the whole message, for DKIM
};

struct SenderAuthVerdict {
    bool pass = false;
    std::string spf;      // pass | fail | softfail | neutral | none | temperror | permerror | not aligned | not checked
    std::string dkim;     // pass (d=...) | fail | none | not aligned
    std::string reason;   // one line, for the quarantine
};

struct SenderAuthOptions {
    bool useDns = true;                            // false: only the zone below answers SPF
    std::map<std::string, std::string> spfZone;    // domain -> TXT record (tests)
    std::string dkimKeyFile;                       // non-empty: DKIM keys from this file (tests)
};

class SenderAuthenticator {
public:
    explicit SenderAuthenticator(SenderAuthOptions options = {});
    ~SenderAuthenticator();
    SenderAuthenticator(const SenderAuthenticator&) = delete;
    SenderAuthenticator& operator=(const SenderAuthenticator&) = delete;

    SenderAuthVerdict check(const SenderAuthInput& in) const;

private:
    std::string spf(const SenderAuthInput& in, const std::string& domain) const;
    std::string dkim(const SenderAuthInput& in, std::string& signer) const;

    SenderAuthOptions _options;
    void* _dkimLib = nullptr;   // DKIM_LIB*
};

// Relaxed alignment: equal (case-insensitive) or one a subdomain of the other.
bool domainsAligned(const std::string& a, const std::string& b);
// The domain of an address ("Name <a@B.example>" is not expected: pass the bare address).
std::string domainOf(const std::string& address);
// The IP of "ip:port" / "[v6]:port" as the listener records it; "" when it is not one.
std::string ipOfRemote(const std::string& remoteAddress);

}  // namespace duegate::services
