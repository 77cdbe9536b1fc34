#include "gateway/services/LinkService.h"

#include "store/SettingsRepository.h"

#include "gateway/services/Secrets.h"
#include "store/DossierRepository.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>

#include <cctype>

namespace duegate::services {
namespace {

// HMAC-SHA256 truncated to 128 bits (22 base64url characters; NIST SP 800-107 allows truncation
// to 64 bits and more), so a typical link stays under the 76 characters of a mail line.
std::string signature(const Context& ctx, std::int64_t id, const std::string& nonce, std::int64_t creditorId,
                      std::int64_t dossierId, const std::string& expires) {
    return hmacSha256Base64Url(ctx.settings.linkSecret, "v1|" + std::to_string(id) + "|" + nonce + "|" +
                                                            std::to_string(creditorId) + "|" +
                                                            std::to_string(dossierId) + "|" + expires)
        .substr(0, 22);
}

std::string todayUtc(const Context& ctx) {
    return Poco::DateTimeFormatter::format(Poco::DateTime(ctx.clock->now()), "%Y-%m-%d");
}

}  // namespace

DebtorLink createLink(const Context& ctx, store::Tx& tx, std::int64_t creditorId, std::int64_t dossierId) {
    if (ctx.settings.linkSecret.size() < 16) throw std::logic_error("link secret missing or too short");
    Poco::DateTime expiry(ctx.clock->now());
    expiry += Poco::Timespan(static_cast<int>(ctx.settings.linkValidityDays), 0, 0, 0, 0);
    store::LinkTokenRecord row;
    row.creditorId = creditorId;
    row.dossierId = dossierId;
    row.nonce = randomHex(8);
    row.expiresAt = Poco::DateTimeFormatter::format(expiry, "%Y-%m-%d");
    const auto id = store::links::insert(tx, row, ctx.now());
    DebtorLink link;
    link.token = std::to_string(id) + "." + row.nonce + "." +
                 signature(ctx, id, row.nonce, creditorId, dossierId, row.expiresAt);
    link.url = ctx.settings.baseUrl + "/d/" + link.token;
    return link;
}

namespace {

// The stored row of a well-formed token whose signature and nonce match (revoked or not).
std::optional<store::LinkTokenRecord> signedRow(const Context& ctx, store::Tx& tx, const std::string& token) {
    if (token.size() > 200) return std::nullopt;
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string::npos ? std::string::npos : token.find('.', dot1 + 1);
    if (dot2 == std::string::npos || dot1 == 0 || dot1 > 18) return std::nullopt;
    const std::string idText = token.substr(0, dot1);
    for (char c : idText)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const std::string nonce = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string sig = token.substr(dot2 + 1);
    const auto row = store::links::byId(tx, std::stoll(idText));
    if (!row) return std::nullopt;
    const std::string expected = signature(ctx, row->id, row->nonce, row->creditorId, row->dossierId, row->expiresAt);
    if (!constantTimeEquals(sig, expected) || !constantTimeEquals(nonce, row->nonce)) return std::nullopt;
    return row;
}

}  // namespace

std::optional<LinkScope> resolveLink(const Context& ctx, store::Tx& tx, const std::string& token) {
    const auto row = signedRow(ctx, tx, token);
    if (!row) return std::nullopt;
    if (row->revokedAt) return std::nullopt;
    if (row->expiresAt < todayUtc(ctx)) return std::nullopt;
    return LinkScope{row->id, row->creditorId, row->dossierId};
}

std::optional<LinkScope> resolveRevokedLink(const Context& ctx, store::Tx& tx, const std::string& token) {
    const auto row = signedRow(ctx, tx, token);
    if (!row || !row->revokedAt || row->expiresAt < todayUtc(ctx)) return std::nullopt;
    return LinkScope{row->id, row->creditorId, row->dossierId};
}

std::string sharedLinkSecret(Context& ctx, const std::string& candidate) {
    return ctx.db->transaction(
        [&](store::Tx& tx) { return store::settings::getOrInit(tx, "link_secret", candidate, ctx.now()); });
}

std::size_t revokeLinks(const Context& ctx, store::Tx& tx, std::int64_t dossierId) {
    return store::links::revokeForDossier(tx, dossierId, ctx.now());
}

}  // namespace duegate::services
