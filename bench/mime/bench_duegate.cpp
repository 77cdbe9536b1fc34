// Parses every mail in DIR with parseMime (attachments decoded, sha256 computed), one file at a
// time into a reused buffer so memory stays bounded by the largest message. Prints mails/s, MB/s.
#include "parsers/mime/MimeMessage.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) { std::cerr << "usage: bench_duegate DIR [ROUNDS]\n"; return 2; }
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 1;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(argv[1])) files.push_back(e.path());
    std::string buffer;
    std::size_t mails = 0, bytes = 0, attachments = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) {
        for (const auto& f : files) {
            std::FILE* fp = std::fopen(f.c_str(), "rb");
            if (!fp) continue;
            buffer.resize(std::filesystem::file_size(f));
            const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), fp);
            std::fclose(fp);
            auto m = duegate::parsers::mime::parseMime(std::string_view(buffer.data(), n));
            if (!m) { std::cerr << f << ": " << m.error().toString() << "\n"; return 1; }
            attachments += m->attachments.size();
            ++mails;
            bytes += n;
        }
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("duegate mails=%zu attachments=%zu seconds=%.3f mails_per_s=%.0f MB_per_s=%.1f\n", mails, attachments, s,
                mails / s, bytes / s / 1e6);
}
