#include "channels/DkimSigner.h"

// Trap (STACK.md): dkim.h uses C's _Bool in its prototypes.
#define _Bool bool
#include <dkim.h>
#undef _Bool

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace duegate::channels {
namespace {

DKIM_LIB* lib(void* p) { return static_cast<DKIM_LIB*>(p); }

struct Handle {
    DKIM* dkim = nullptr;
    ~Handle() {
        if (dkim) dkim_free(dkim);
    }
};

std::string statusText(DKIM_STAT s) {
    const char* t = dkim_getresultstr(s);
    return t ? t : ("status " + std::to_string(s));
}

}  // namespace

DkimSigner::DkimSigner(DkimOptions options) : _options(std::move(options)) {
    if (_options.keyPem.find("PRIVATE KEY") == std::string::npos)
        throw std::runtime_error("dkim: the key is not a PEM private key");
    if (_options.selector.empty() || _options.domain.empty())
        throw std::runtime_error("dkim: selector and domain are required");
    _lib = dkim_init(nullptr, nullptr);
    if (!_lib) throw std::runtime_error("dkim: dkim_init failed");
    // Sign with a fixed clock only in tests; here the signature carries t= from the system clock.
}

DkimSigner::~DkimSigner() {
    if (_lib) dkim_close(lib(_lib));
}

std::shared_ptr<DkimSigner> DkimSigner::fromKeyFile(const std::string& keyFile, const std::string& selector,
                                                    const std::string& domain) {
    std::ifstream in(keyFile, std::ios::binary);
    if (!in) throw std::runtime_error("dkim: cannot read the key file " + keyFile);
    std::ostringstream s;
    s << in.rdbuf();
    return std::make_shared<DkimSigner>(DkimOptions{s.str(), selector, domain});
}

std::string DkimSigner::sign(const std::string& raw) const {
    DKIM_STAT status = DKIM_STAT_OK;
    Handle h;
    h.dkim = dkim_sign(lib(_lib), reinterpret_cast<const unsigned char*>("duegate"), nullptr,
                       reinterpret_cast<dkim_sigkey_t>(const_cast<char*>(_options.keyPem.c_str())),
                       reinterpret_cast<const unsigned char*>(_options.selector.c_str()),
                       reinterpret_cast<const unsigned char*>(_options.domain.c_str()), DKIM_CANON_RELAXED,
                       DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &status);
    if (!h.dkim || status != DKIM_STAT_OK) throw std::runtime_error("dkim: sign: " + statusText(status));
    std::string copy = raw;  // dkim_chunk takes a non-const buffer
    status = dkim_chunk(h.dkim, reinterpret_cast<u_char*>(copy.data()), copy.size());
    if (status == DKIM_STAT_OK) status = dkim_chunk(h.dkim, nullptr, 0);
    if (status == DKIM_STAT_OK) status = dkim_eom(h.dkim, nullptr);
    if (status != DKIM_STAT_OK) throw std::runtime_error("dkim: sign: " + statusText(status));
    u_char* header = nullptr;
    size_t len = 0;
    const std::string name = "DKIM-Signature: ";
    status = dkim_getsighdr_d(h.dkim, name.size(), &header, &len);
    if (status != DKIM_STAT_OK || !header) throw std::runtime_error("dkim: header: " + statusText(status));
    std::string value(reinterpret_cast<const char*>(header), len);
    // libopendkim folds with bare LF + tab; mail on the wire wants CRLF.
    std::string folded;
    for (char c : value) {
        if (c == '\n') folded += "\r\n";
        else if (c != '\r') folded += c;
    }
    return name + folded + "\r\n" + raw;
}

bool verifyDkim(const std::string& raw, const std::string& keyRecordsFile, std::string* detail) {
    auto say = [&](const std::string& s) {
        if (detail) *detail = s;
        return false;
    };
    DKIM_LIB* l = dkim_init(nullptr, nullptr);
    if (!l) return say("dkim_init failed");
    struct LibGuard {
        DKIM_LIB* l;
        ~LibGuard() { dkim_close(l); }
    } guard{l};
    dkim_query_t method = DKIM_QUERY_FILE;
    dkim_options(l, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &method, sizeof method);
    dkim_options(l, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO, const_cast<char*>(keyRecordsFile.c_str()),
                 keyRecordsFile.size());
    DKIM_STAT status = DKIM_STAT_OK;
    Handle h;
    h.dkim = dkim_verify(l, reinterpret_cast<const unsigned char*>("verify"), nullptr, &status);
    if (!h.dkim) return say("dkim_verify: " + statusText(status));
    std::string copy = raw;
    status = dkim_chunk(h.dkim, reinterpret_cast<u_char*>(copy.data()), copy.size());
    if (status == DKIM_STAT_OK) status = dkim_chunk(h.dkim, nullptr, 0);
    if (status == DKIM_STAT_OK) status = dkim_eom(h.dkim, nullptr);
    if (status != DKIM_STAT_OK) {
        const char* err = dkim_geterror(h.dkim);
        return say("verify: " + statusText(status) + (err ? std::string(": ") + err : std::string()));
    }
    DKIM_SIGINFO** sigs = nullptr;
    int n = 0;
    if (dkim_getsiglist(h.dkim, &sigs, &n) != DKIM_STAT_OK || n == 0) return say("no signature");
    for (int i = 0; i < n; ++i)
        if (!DKIM_SIG_CHECK(sigs[i])) return say("signature " + std::to_string(i) + " does not verify");
    if (detail) *detail = "pass";
    return true;
}

}  // namespace duegate::channels
