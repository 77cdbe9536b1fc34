// DKIM signing (RFC 6376) of rendered outbound mail with libopendkim: rsa-sha256, relaxed/relaxed,
// the signing domain and selector from [smtp_out] dkim_domain / dkim_selector, the private key (PEM)
// from [smtp_out] dkim_key_file. The public key is published by the operator as a TXT record at
// <selector>._domainkey.<domain> (docs/mail.md).
//
// sign() returns the message with a "DKIM-Signature:" header prepended; the message must be
// complete RFC 5322 bytes with CRLF line endings (renderMail's output) and must not change after
// signing. verifyDkim() checks every signature of a message against key records read from a file
// (libopendkim's "file" query method: lines "<selector>._domainkey.<domain> v=DKIM1; k=rsa; p=...")
// instead of DNS: for tests and for checking a key before publishing it.
// Errors: the constructor throws std::runtime_error for an unreadable or unusable key; sign()
// throws std::runtime_error when libopendkim fails (a channel turns that into Failed).
// Thread-safety: sign() may run concurrently (one DKIM handle per call on a shared library handle).
#pragma once

#include <memory>
#include <string>

namespace duegate::channels {

struct DkimOptions {
    std::string keyPem;    // the private key, PEM
    std::string selector;  // e.g. "duegate2026"
    std::string domain;    // d=, e.g. "duegate.example"
};

class DkimSigner {
public:
    explicit DkimSigner(DkimOptions options);
    ~DkimSigner();
    DkimSigner(const DkimSigner&) = delete;
    DkimSigner& operator=(const DkimSigner&) = delete;

    // Reads the key file; throws std::runtime_error naming the file when it cannot be read.
    static std::shared_ptr<DkimSigner> fromKeyFile(const std::string& keyFile, const std::string& selector,
                                                   const std::string& domain);

    std::string sign(const std::string& rawMessage) const;

private:
    DkimOptions _options;
    void* _lib = nullptr;  // DKIM_LIB*
};

// True when the message carries at least one DKIM signature and every one verifies against the
// key records in `keyRecordsFile`; `detail` says why not.
bool verifyDkim(const std::string& rawMessage, const std::string& keyRecordsFile, std::string* detail = nullptr);

}  // namespace duegate::channels
