#include "gateway/inbound/mailbox/Pop3Client.h"

#include <Poco/Exception.h>

#include <sstream>

namespace duegate::inbound {

Pop3Client::Pop3Client(const Poco::Net::StreamSocket& socket, const std::string& user, const std::string& password,
                       std::string after, int timeoutSeconds)
    : _session(socket), _after(std::move(after)) {
    _session.setTimeout(Poco::Timespan(timeoutSeconds, 0));
    _session.login(user, password);   // its exception carries the server's reply, not the password
}

MailboxClient::Listing Pop3Client::list() {
    Listing l;
    Poco::Net::POP3ClientSession::MessageInfoVec infos;
    _session.listMessages(infos);
    _numbers.clear();
    for (const auto& info : infos) {
        std::string response;
        if (!_session.sendCommand("UIDL", std::to_string(info.id), response))
            throw Poco::ProtocolException("UIDL " + std::to_string(info.id) + ": " + response.substr(0, 200));
        // "+OK 1 whqtswO00WBw418f9t5JxYwZ"
        std::istringstream in(response);
        std::string ok, number, uid;
        in >> ok >> number >> uid;
        if (uid.empty()) throw Poco::ProtocolException("UIDL " + std::to_string(info.id) + ": no id in " + response);
        _numbers[uid] = info.id;
        l.messages.push_back({uid, static_cast<std::size_t>(info.size)});
    }
    return l;
}

std::string Pop3Client::fetch(const std::string& uid) {
    auto it = _numbers.find(uid);
    if (it == _numbers.end()) throw Poco::NotFoundException("POP3 message " + uid + " not listed");
    std::ostringstream out;
    _session.retrieveMessage(it->second, out);
    return std::move(out).str();
}

void Pop3Client::finish(const std::string& uid) {
    if (_after != "delete") return;
    auto it = _numbers.find(uid);
    if (it != _numbers.end()) _session.deleteMessage(it->second);
}

void Pop3Client::quit() { _session.close(); }

}  // namespace duegate::inbound
