// The debtor's personal link {base_url}/d/{token}: signed, expiring, revocable, scoped to one dossier.
//
// token = "<link id>.<nonce>.<signature>", signature = HMAC-SHA256(link secret,
// "v1|id|nonce|creditor|dossier|expires") in base64url, truncated to 128 bits. The row in link_tokens holds nonce, scope and
// expiry, so a link can be revoked; the signature means a guessed id or nonce is worthless without
// the secret. resolveLink() returns nothing for a malformed, tampered, expired or revoked token, and
// callers answer 404 in every one of those cases (no oracle).
#pragma once

#include "gateway/services/Context.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services {

struct DebtorLink {
    std::string token;
    std::string url;
};

// Inside the caller's transaction (the link is part of the decision that sends it).
DebtorLink createLink(const Context& ctx, store::Tx& tx, std::int64_t creditorId, std::int64_t dossierId);

struct LinkScope {
    std::int64_t linkId, creditorId, dossierId;
};

std::optional<LinkScope> resolveLink(const Context& ctx, store::Tx& tx, const std::string& token);
// A genuine (signed, unexpired) link that was revoked: the debtor page then says why it closed.
std::optional<LinkScope> resolveRevokedLink(const Context& ctx, store::Tx& tx, const std::string& token);

// The HMAC key of debtor links, kept in the store so every process and every host accepts every
// link: the stored key when there is one, else `candidate` is stored (an existing key file's
// secret, so links already sent keep working, or a fresh random one). The first process wins.
std::string sharedLinkSecret(Context& ctx, const std::string& candidate);

// Revokes every link of a dossier (closing a dossier ends its links); inside the caller's transaction.
std::size_t revokeLinks(const Context& ctx, store::Tx& tx, std::int64_t dossierId);

}  // namespace duegate::services
