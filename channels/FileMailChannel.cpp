#include "channels/FileMailChannel.h"

#include "platform/DurableFile.h"

#include <cstdint>
#include <system_error>

namespace duegate::channels {

namespace {

std::string safeName(const std::string& messageId) {
    std::string name;
    bool changed = false;
    for (char c : messageId) {
        auto u = static_cast<unsigned char>(c);
        bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '.' ||
                  c == '_' || c == '@' || c == '+' || c == '-';
        name += ok ? c : '_';
        changed |= !ok;
    }
    if (name.size() > 150) {
        name.resize(150);
        changed = true;
    }
    if (name.empty() || name.front() == '.') {   // no hidden files, never "." or ".."
        name.insert(0, "m");
        changed = true;
    }
    if (changed) {
        std::uint64_t h = 1469598103934665603ull;
        for (char c : messageId) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        static constexpr char kHex[] = "0123456789abcdef";
        name += '-';
        for (int i = 60; i >= 0; i -= 4) name += kHex[(h >> i) & 15];
    }
    return name;
}

}  // namespace

FileMailChannel::FileMailChannel(FileMailOptions options, std::shared_ptr<const DkimSigner> dkim)
    : _options(std::move(options)), _dkim(std::move(dkim)) {}

std::string FileMailChannel::pathFor(const std::string& messageId) const {
    std::string id = messageId;
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    return _options.outboxDir + "/" + safeName(id) + ".eml";
}

DeliveryResult FileMailChannel::send(const OutboundMail& input) {
    OutboundMail mail = input;
    auto rendered = renderForSending(mail, _dkim.get());
    if (auto* failed = std::get_if<Failed>(&rendered)) return *failed;
    std::string raw = std::get<std::string>(rendered);
    if (!mail.returnPath.empty() && mail.returnPath.find_first_of("\r\n<>") == std::string::npos)
        raw = "Return-Path: <" + mail.returnPath + ">\r\n" + raw;
    const std::string path = pathFor(mail.messageId);
    try {
        platform::writeFileDurably(path, raw);  // the folder is created (and synced) when missing
    } catch (const std::system_error& e) {
        return Retry{e.what(), _options.retryAfterSeconds};
    }
    return Delivered{path};
}

}  // namespace duegate::channels
