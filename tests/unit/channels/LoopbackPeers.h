// Helpers for tests that talk to real or scripted peers on loopback: a free port, a child process
// that is killed when the test ends, waiting for a port to accept, and a scripted SMTP server.
#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>
#include <Poco/Thread.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace duegate::channels::test {

inline std::uint16_t freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

inline bool waitForPort(std::uint16_t port, int timeoutMs = 10000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < until) {
        try {
            Poco::Net::StreamSocket s;
            s.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
            return true;
        } catch (...) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    return false;
}

// A child process for the length of a test.
class ChildProcess {
public:
    ChildProcess(const std::string& command, const std::vector<std::string>& args)
        : _handle(Poco::Process::launch(command, args)) {}
    ~ChildProcess() {
        try {
            Poco::Process::kill(_handle);
            _handle.wait();
        } catch (...) {
        }
    }

private:
    Poco::ProcessHandle _handle;
};

// One-connection SMTP server that answers from a script, for the replies a real server will not
// give on demand (451, 550, a hang-up after the data). Records every line it receives.
class ScriptedSmtpServer {
public:
    std::string greeting = "220 fake.test ESMTP\r\n";
    std::map<std::string, std::string> replies = {
        {"EHLO", "250-fake.test\r\n250 PIPELINING\r\n"}, {"HELO", "250 fake.test\r\n"},
        {"MAIL", "250 2.1.0 Ok\r\n"},  {"RCPT", "250 2.1.5 Ok\r\n"},
        {"DATA", "354 go ahead\r\n"},  {".", "250 2.0.0 Ok: queued as FAKE1\r\n"},
        {"QUIT", "221 2.0.0 Bye\r\n"}, {"STARTTLS", "454 4.7.0 TLS not available\r\n"}};
    bool hangUpAfterData = false;
    bool silent = false;   // accept, then say nothing
    bool silentAfterData = false;   // take the whole message, then never answer the final dot

    ScriptedSmtpServer() : _socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {}
    ~ScriptedSmtpServer() {
        _stop = true;
        if (_thread.joinable()) _thread.join();
    }
    std::uint16_t port() const { return _socket.address().port(); }
    void start() { _thread = std::thread([this] { serve(); }); }

    std::vector<std::string> lines() {
        std::lock_guard lock(_mutex);
        return _lines;
    }

private:
    void serve() {
        while (!_stop) {
            if (!_socket.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ)) continue;
            Poco::Net::StreamSocket c = _socket.acceptConnection();
            c.setReceiveTimeout(Poco::Timespan(5, 0));
            try {
                talk(c);
            } catch (...) {
            }
            c.close();
        }
    }
    void say(Poco::Net::StreamSocket& c, const std::string& s) { c.sendBytes(s.data(), static_cast<int>(s.size())); }
    void talk(Poco::Net::StreamSocket& c) {
        if (silent) {
            while (!_stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return;
        }
        say(c, greeting);
        std::string buf;
        bool inData = false;
        char chunk[4096];
        for (;;) {
            std::size_t nl;
            while ((nl = buf.find("\r\n")) == std::string::npos) {
                int n = c.receiveBytes(chunk, sizeof chunk);
                if (n <= 0) return;
                buf.append(chunk, static_cast<std::size_t>(n));
            }
            std::string line = buf.substr(0, nl);
            buf.erase(0, nl + 2);
            {
                std::lock_guard lock(_mutex);
                _lines.push_back(line);
            }
            if (inData) {
                if (line != ".") continue;
                inData = false;
                if (hangUpAfterData) return;
                if (silentAfterData) {
                    while (!_stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    return;
                }
                say(c, replies["."]);
                continue;
            }
            std::string verb = line.substr(0, line.find(' '));
            auto it = replies.find(verb);
            std::string reply = it == replies.end() ? "500 5.5.2 what?\r\n" : it->second;
            say(c, reply);
            if (verb == "DATA" && reply.rfind("354", 0) == 0) inData = true;
            if (verb == "QUIT" || reply.rfind("421", 0) == 0) return;
        }
    }

    Poco::Net::ServerSocket _socket;
    std::thread _thread;
    std::atomic<bool> _stop{false};
    std::mutex _mutex;
    std::vector<std::string> _lines;
};

}  // namespace duegate::channels::test
