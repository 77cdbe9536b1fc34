// FileMailChannel: "sends" a mail by writing its RFC 5322 bytes to <outboxDir>/<name>.eml, where
// name is the Message-ID reduced to [A-Za-z0-9._@+-] (plus a hash of the original when anything
// had to be replaced, so two ids never share a file). The path never comes from user input.
//
// The write is atomic and durable: a temporary file in the same folder, fsync, rename over the
// final name, fsync of the folder. A resend with the same Message-ID replaces the file with the
// same content, so it is idempotent. Delivered.providerId is the final path.
// Errors: the folder cannot be created or written (permissions, disk full) -> Retry; a mail that
// cannot be rendered -> Failed.
// Thread-safety: send() may run concurrently (temporary names are unique per process and call).
#pragma once

#include "channels/MailChannel.h"

#include <memory>
#include <string>

namespace duegate::channels {

struct FileMailOptions {
    std::string outboxDir = "var/outbox";   // created (with parents) when missing
    int retryAfterSeconds = 60;             // the Retry hint when the folder cannot be written
};

class FileMailChannel : public MailChannel {
public:
    // dkim: signs every mail when set. A Return-Path header carries mail.returnPath (a file has no envelope).
    explicit FileMailChannel(FileMailOptions options, std::shared_ptr<const DkimSigner> dkim = nullptr);

    DeliveryResult send(const OutboundMail& mail) override;

    // The file a mail with this Message-ID is written to.
    std::string pathFor(const std::string& messageId) const;

private:
    FileMailOptions _options;
    std::shared_ptr<const DkimSigner> _dkim;
};

}  // namespace duegate::channels
