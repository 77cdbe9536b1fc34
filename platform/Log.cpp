#include "platform/Log.h"

#include <Poco/AutoPtr.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/StreamChannel.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <iostream>
#include <mutex>

namespace duegate::platform {
namespace {

std::atomic<int> gLevel{static_cast<int>(LogLevel::Info)};

Poco::Logger& logger() {
    static std::once_flag once;
    std::call_once(once, [] {
        // std::cerr, not ConsoleChannel's std::clog: cerr is unit-buffered, so every line reaches
        // journald at once and none is lost with a killed process. One line per message, under
        // the channel's lock.
        Poco::AutoPtr<Poco::StreamChannel> channel(new Poco::StreamChannel(std::cerr));
        Poco::Logger::get("duegate").setChannel(channel);
        Poco::Logger::get("duegate").setLevel(Poco::Message::PRIO_TRACE);  // filtered by gLevel
    });
    return Poco::Logger::get("duegate");
}

const char* levelName(LogLevel l) {
    switch (l) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

Poco::Message::Priority priorityOf(LogLevel l) {
    switch (l) {
        case LogLevel::Debug: return Poco::Message::PRIO_DEBUG;
        case LogLevel::Info: return Poco::Message::PRIO_INFORMATION;
        case LogLevel::Warning: return Poco::Message::PRIO_WARNING;
        case LogLevel::Error: return Poco::Message::PRIO_ERROR;
    }
    return Poco::Message::PRIO_INFORMATION;
}

void appendValue(std::string& out, std::string_view v) {
    bool quote = v.empty();
    for (char c : v) quote = quote || c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20;
    if (!quote) {
        out += v;
        return;
    }
    out += '"';
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace

bool parseLogLevel(std::string_view text, LogLevel& out) {
    for (auto l : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error})
        if (text == levelName(l)) {
            out = l;
            return true;
        }
    return false;
}

void setLogLevel(LogLevel level) { gLevel = static_cast<int>(level); }
bool logEnabled(LogLevel level) { return static_cast<int>(level) >= gLevel.load(); }

std::string formatLogLine(LogLevel level, std::string_view module, std::string_view message,
                          std::initializer_list<LogField> fields) {
    std::string line = "level=";
    line += levelName(level);
    line += " module=";
    appendValue(line, module);
    line += " msg=";
    appendValue(line, message);
    for (const auto& [k, v] : fields) {
        line += ' ';
        line += k;
        line += '=';
        appendValue(line, v);
    }
    return line;
}

void log(LogLevel level, std::string_view module, std::string_view message, std::initializer_list<LogField> fields) {
    if (!logEnabled(level)) return;
    std::string line = "ts=" + Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ") + " ";
    line += formatLogLine(level, module, message, fields);
    logger().log(Poco::Message("duegate", line, priorityOf(level)));
}

}  // namespace duegate::platform
