// Test support: raw RFC 5322 mails as a creditor's mail client would send them.
#pragma once

#include <Poco/Base64Encoder.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace duegate::testing {

struct TestAttachment {
    std::string filename, contentType, bytes;
};

inline std::string base64Lines(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(76);
    enc << bytes;
    enc.close();
    std::string s = out.str(), crlf;
    for (char c : s) {
        if (c == '\n') crlf += "\r\n";
        else if (c != '\r') crlf += c;
    }
    return crlf;
}

inline std::string buildMail(const std::string& from, const std::string& to, const std::string& subject,
                             const std::string& messageId, const std::vector<TestAttachment>& attachments,
                             const std::string& text = "Please find the invoice attached.") {
    const std::string boundary = "----=_duegate_test_boundary";
    std::string m = "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
                    "\r\nDate: Mon, 05 Jan 2026 10:00:00 +0100\r\n";
    if (!messageId.empty()) m += "Message-ID: " + messageId + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    if (attachments.empty()) return m + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    m += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    for (const auto& a : attachments) {
        m += "--" + boundary + "\r\nContent-Type: " + a.contentType + "; name=\"" + a.filename +
             "\"\r\nContent-Disposition: attachment; filename=\"" + a.filename +
             "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64Lines(a.bytes) + "\r\n";
    }
    return m + "--" + boundary + "--\r\n";
}

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace duegate::testing
