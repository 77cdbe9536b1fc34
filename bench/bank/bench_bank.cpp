// Throughput of the bank parsers on one file: `bench_bank camt|coda|mt940 FILE`.
// Every format is read through its streaming entry point (1 MiB reused buffer, entries handed to
// a callback with the full model of each entry built, nothing kept), so peak memory stays flat
// in file size. `duegate parse` uses the whole-buffer entry points (same readers). Prints one line: format, bytes, entries, seconds, MB/s, entries/s.
// Peak memory is measured from outside (/usr/bin/time -v in run.sh).
#include "parsers/bank/CamtParser.h"
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/Mt940Parser.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace duegate::parsers::bank;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: bench_bank camt|coda|mt940 FILE\n";
        return 2;
    }
    const std::string fmt = argv[1], path = argv[2];
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t entries = 0, bytes = 0;
    std::int64_t checksum = 0;
    {
        std::ifstream in(path, std::ios::binary);
        in.seekg(0, std::ios::end);
        bytes = static_cast<std::size_t>(in.tellg());
        in.seekg(0);
        StatementCallbacks cb;
        cb.onEntry = [&](const Statement&, Entry&& e) { ++entries; checksum += e.amount; };
        Limits limits;
        auto r = fmt == "camt" ? parseCamtStream(in, cb, limits)
                 : fmt == "coda" ? parseCodaStream(in, cb, limits)
                                 : parseMt940Stream(in, cb, limits);
        if (!r) { std::cerr << r.error().toString() << "\n"; return 2; }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s bytes=%zu entries=%zu seconds=%.3f MB/s=%.1f entries/s=%.0f checksum=%lld\n", fmt.c_str(), bytes,
                entries, secs, static_cast<double>(bytes) / 1048576.0 / secs, static_cast<double>(entries) / secs,
                static_cast<long long>(checksum));
    return 0;
}
