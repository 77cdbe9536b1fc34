// Throughput of the bank parsers on one file: `bench_bank camt|coda|mt940 FILE`.
// CAMT is read through the streaming entry point (entries to a callback, nothing kept), so peak
// memory stays flat in file size; CODA and MT940 read the whole buffer into the statement model,
// as `duegate parse` does. Prints one line: format, bytes, entries, seconds, MB/s, entries/s.
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
    if (fmt == "camt") {
        std::ifstream in(path, std::ios::binary);
        in.seekg(0, std::ios::end);
        bytes = static_cast<std::size_t>(in.tellg());
        in.seekg(0);
        CamtCallbacks cb;
        cb.onEntry = [&](const Statement&, Entry&& e) { ++entries; checksum += e.amount; };
        auto r = parseCamtStream(in, cb);
        if (!r) { std::cerr << r.error().toString() << "\n"; return 2; }
    } else {
        std::ifstream in(path, std::ios::binary);
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        bytes = data.size();
        Limits limits;
        limits.maxInputBytes = data.size() + 1;
        auto r = fmt == "coda" ? parseCoda(data, limits) : parseMt940(data, limits);
        if (!r) { std::cerr << r.error().toString() << "\n"; return 2; }
        for (const auto& s : r->statements)
            for (const auto& e : s.entries) { ++entries; checksum += e.amount; }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s bytes=%zu entries=%zu seconds=%.3f MB/s=%.1f entries/s=%.0f checksum=%lld\n", fmt.c_str(), bytes,
                entries, secs, static_cast<double>(bytes) / 1048576.0 / secs, static_cast<double>(entries) / secs,
                static_cast<long long>(checksum));
    return 0;
}
