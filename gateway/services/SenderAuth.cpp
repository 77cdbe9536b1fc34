#include "gateway/services/SenderAuth.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <sys/types.h>
extern "C" {
#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>
}
// opendkim's prototypes use C's _Bool (STACK.md).
#define _Bool bool
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool

namespace duegate::services {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool endsWithLabel(const std::string& longer, const std::string& shorter) {
    return longer.size() > shorter.size() && longer.compare(longer.size() - shorter.size(), shorter.size(), shorter) == 0 &&
           longer[longer.size() - shorter.size() - 1] == '.';
}

}  // namespace

bool domainsAligned(const std::string& a, const std::string& b) {
    const auto x = lower(a), y = lower(b);
    if (x.empty() || y.empty()) return false;
    return x == y || endsWithLabel(x, y) || endsWithLabel(y, x);
}

std::string domainOf(const std::string& address) {
    const auto at = address.rfind('@');
    if (at == std::string::npos) return {};
    std::string d = address.substr(at + 1);
    while (!d.empty() && (d.back() == '>' || d.back() == '.')) d.pop_back();
    return lower(d);
}

std::string ipOfRemote(const std::string& remote) {
    if (remote.empty()) return {};
    std::string host = remote;
    if (host.front() == '[') {
        const auto close = host.find(']');
        host = close == std::string::npos ? "" : host.substr(1, close - 1);
    } else if (std::count(host.begin(), host.end(), ':') == 1) {
        host = host.substr(0, host.find(':'));
    }
    unsigned char buf[16];
    if (inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) return host;
    return {};
}

SenderAuthenticator::SenderAuthenticator(SenderAuthOptions options) : _options(std::move(options)) {
    DKIM_LIB* lib = dkim_init(nullptr, nullptr);
    if (!lib) throw std::runtime_error("sender auth: dkim_init failed");
    unsigned int flags = DKIM_LIBFLAGS_FIXCRLF;
    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
    if (!_options.dkimKeyFile.empty()) {
        int method = DKIM_QUERY_FILE;
        dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &method, sizeof method);
        dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO, const_cast<char*>(_options.dkimKeyFile.c_str()),
                     _options.dkimKeyFile.size());
    }
    _dkimLib = lib;
}

SenderAuthenticator::~SenderAuthenticator() {
    if (_dkimLib) dkim_close(static_cast<DKIM_LIB*>(_dkimLib));
}

std::string SenderAuthenticator::spf(const SenderAuthInput& in, const std::string& domain) const {
    if (in.clientIp.empty()) return "not checked";
    SPF_dns_server_t* dns = nullptr;
    SPF_server_t* server = nullptr;
    if (_options.useDns && _options.spfZone.empty()) {
        server = SPF_server_new(SPF_DNS_CACHE, 0);
    } else {
        dns = SPF_dns_zone_new(nullptr, "duegate-zone", 0);
        if (!dns) return "temperror";
        for (const auto& [name, txt] : _options.spfZone)
            SPF_dns_zone_add_str(dns, name.c_str(), ns_t_txt, NETDB_SUCCESS, txt.c_str());
        server = SPF_server_new_dns(dns, 0);
    }
    if (!server) {
        if (dns) SPF_dns_free(dns);
        return "temperror";
    }
    SPF_request_t* req = SPF_request_new(server);
    std::string result = "temperror";
    const bool v6 = in.clientIp.find(':') != std::string::npos;
    const auto ipOk = v6 ? SPF_request_set_ipv6_str(req, in.clientIp.c_str())
                         : SPF_request_set_ipv4_str(req, in.clientIp.c_str());
    if (ipOk == SPF_E_SUCCESS) {
        const std::string sender = in.mailFrom.empty() ? "postmaster@" + domain : in.mailFrom;
        SPF_request_set_env_from(req, sender.c_str());
        if (!in.heloName.empty()) SPF_request_set_helo_dom(req, in.heloName.c_str());
        SPF_response_t* resp = nullptr;
        SPF_request_query_mailfrom(req, &resp);
        if (resp) {
            result = SPF_strresult(SPF_response_result(resp));
            SPF_response_free(resp);
        }
    }
    SPF_request_free(req);
    SPF_server_free(server);   // frees a resolver it made itself, not one it was given:
    if (dns) SPF_dns_free(dns);   // (checked with LeakSanitizer)
    return result;
}

std::string SenderAuthenticator::dkim(const SenderAuthInput& in, std::string& signer) const {
    DKIM_STAT st = DKIM_STAT_OK;
    DKIM* d = dkim_verify(static_cast<DKIM_LIB*>(_dkimLib), reinterpret_cast<const unsigned char*>("duegate"), nullptr,
                          &st);
    if (!d) return "temperror";
    st = dkim_chunk(d, reinterpret_cast<unsigned char*>(const_cast<char*>(in.raw.data())), in.raw.size());
    if (st == DKIM_STAT_OK) st = dkim_chunk(d, nullptr, 0);
    if (st == DKIM_STAT_OK || st == DKIM_STAT_NOSIG) st = dkim_eom(d, nullptr);
    std::string out;
    DKIM_SIGINFO* sig = st == DKIM_STAT_NOSIG ? nullptr : dkim_getsignature(d);
    if (!sig) {
        out = "none";   // no signature at all (or none the library could find)
    } else {
        const unsigned char* dom = dkim_sig_getdomain(sig);
        if (dom) signer = lower(reinterpret_cast<const char*>(dom));
        out = st == DKIM_STAT_OK ? "pass" : "fail";
    }
    dkim_free(d);
    return out;
}

SenderAuthVerdict SenderAuthenticator::check(const SenderAuthInput& in) const {
    SenderAuthVerdict v;
    const std::string from = lower(in.fromDomain);
    if (from.empty()) {
        v.spf = v.dkim = "not checked";
        v.reason = "sender not authenticated: no From domain";
        return v;
    }
    std::string signer;
    v.dkim = dkim(in, signer);
    if (v.dkim == "pass" && !domainsAligned(signer, from)) v.dkim = "not aligned (d=" + signer + ")";
    else if (v.dkim == "pass") v.dkim = "pass (d=" + signer + ")";
    const std::string envDomain = in.mailFrom.empty() ? from : domainOf(in.mailFrom);
    if (!domainsAligned(envDomain, from)) {
        v.spf = "not aligned (" + envDomain + ")";
    } else {
        v.spf = spf(in, envDomain);
    }
    v.pass = v.spf == "pass" || v.dkim.rfind("pass", 0) == 0;
    if (!v.pass) v.reason = "sender not authenticated: " + from + ": SPF " + v.spf + ", DKIM " + v.dkim;
    return v;
}

}  // namespace duegate::services
