// The payment matcher at scale: `bench_match [DOSSIERS LINES THREADS SEED]` (defaults 1000000
// 1000000 2 1). Generates open dossiers and statement lines in memory (deterministic), then times
// building the MatchIndex and matching every line (lines split over THREADS threads against the
// one index, as match() is const). Generation is not timed. Prints the mix of verdicts by rule,
// the two timings and the index's share of resident memory; peak RSS comes from /usr/bin/time
// in run.sh.
//
// Line mix (of LINES): 70% structured reference (OGM or RF, a fifth of them partial payments),
// 10% a reference in free text (spaced, slashed, starred, or the 10-digit base without its check
// digits), 7% invoice numbers in the remittance (some paying two invoices of one debtor), 3% a
// known payer IBAN with the exact open amount, 5% a payer name with a typo and the open amount
// (suggestions), 5% nothing to find (unmatched).
#include "gateway/core/matching/MatchIndex.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace duegate::core::matching;

namespace {

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of the whole process (all threads): the honest figure on a machine shared with
// other work, where wall time also counts the waiting.
double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long rssKb() {
    std::ifstream in("/proc/self/statm");
    long size = 0, resident = 0;
    in >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::string syllables(std::mt19937_64& rng, int n) {
    static const char* parts[] = {"jan", "sen", "pee", "ters", "ma", "es", "wou", "ters", "de", "vries", "bak",
                                  "ker", "van", "dam", "mul", "der", "ver", "meu", "len", "cla", "es", "goos",
                                  "sens", "wil", "lems", "hen", "drik", "son", "leu", "vens", "dries", "bos"};
    std::string s;
    for (int i = 0; i < n; ++i) s += parts[rng() % (sizeof parts / sizeof *parts)];
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string typo(std::string s, std::mt19937_64& rng) {
    if (s.size() < 4) return s;
    std::size_t i = 1 + rng() % (s.size() - 2);
    s[i] = static_cast<char>('a' + rng() % 26);
    return s;
}

std::string iban(std::uint64_t n) { return "BE" + std::to_string(10 + n % 89) + std::to_string(100000000000ULL + n); }

}  // namespace

int main(int argc, char** argv) {
    const long nDossiers = argc > 1 ? std::atol(argv[1]) : 1000000;
    const long nLines = argc > 2 ? std::atol(argv[2]) : 1000000;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const unsigned seed = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 1;
    std::mt19937_64 rng(seed);
    auto pick = [&](long lo, long hi) { return lo + static_cast<long>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };

    // ---- dossiers ----
    std::vector<std::string> firstNames, lastNames;
    for (int i = 0; i < 300; ++i) firstNames.push_back(syllables(rng, 2));
    for (int i = 0; i < 20000; ++i) lastNames.push_back(syllables(rng, 2 + static_cast<int>(rng() % 2)));
    std::vector<Candidate> dossiers(static_cast<std::size_t>(nDossiers));
    for (long i = 0; i < nDossiers; ++i) {
        Candidate& c = dossiers[static_cast<std::size_t>(i)];
        c.dossierId = i + 1;
        c.creditorId = 1 + i % 200;
        c.debtorId = 1 + i / 2;  // two dossiers per debtor
        c.currency = "EUR";
        c.openMinor = pick(1000, 500000);
        const std::uint64_t number = 2000000000ULL + static_cast<std::uint64_t>(i);
        c.paymentReference = i % 5 == 4 ? *duegate::parsers::refs::rfFromReference("D" + std::to_string(number))
                                        : *duegate::parsers::refs::ogmFromBase(std::to_string(number));
        c.invoiceNumbers = {"F" + std::to_string(c.creditorId) + "-2026-" + std::to_string(i)};
        c.debtorName = firstNames[static_cast<std::size_t>(pick(0, 299))] + " " +
                       lastNames[static_cast<std::size_t>(pick(0, 19999))];
        if (i % 3 == 0) c.knownPayerIbans = {iban(static_cast<std::uint64_t>(c.debtorId))};
    }
    // Debtors share a name across their two dossiers.
    for (long i = 1; i < nDossiers; i += 2) dossiers[static_cast<std::size_t>(i)].debtorName = dossiers[static_cast<std::size_t>(i - 1)].debtorName;

    // ---- lines ----
    std::vector<PaymentLine> lines(static_cast<std::size_t>(nLines));
    for (long k = 0; k < nLines; ++k) {
        PaymentLine& l = lines[static_cast<std::size_t>(k)];
        l.id = k + 1;
        l.currency = "EUR";
        l.bookingDate = *duegate::parsers::CivilDate::fromYmd(2026, 11, 27);
        const Candidate& d = dossiers[static_cast<std::size_t>(pick(0, nDossiers - 1))];
        l.amountMinor = d.openMinor;
        l.counterpartyName = d.debtorName;
        const long kind = pick(0, 99);
        if (kind < 70) {
            l.reference = d.paymentReference;
            if (kind < 14) l.amountMinor = d.openMinor / 2 + 1;  // partial
            l.remittance = "Betaling";
        } else if (kind < 80) {
            std::string ref = d.paymentReference;
            if (ref[0] == '+') {
                std::string digits = *duegate::parsers::refs::parseOgm(ref);
                switch (kind % 4) {
                    case 0: l.remittance = "betaling " + digits.substr(0, 3) + " / " + digits.substr(3, 4) + " / " + digits.substr(7) + " dank"; break;
                    case 1: l.remittance = "MEDEDELING ***" + digits.substr(0, 3) + "/" + digits.substr(3, 4) + "/" + digits.substr(7) + "***"; break;
                    case 2: l.remittance = "ref " + digits.substr(0, 10) + " factuur"; break;  // no check digits
                    default: l.remittance = "+++ " + digits + " +++"; break;
                }
            } else {
                std::string spaced;
                for (std::size_t i = 0; i < ref.size(); ++i) {
                    if (i && i % 4 == 0) spaced += ' ';
                    spaced += ref[i];
                }
                l.remittance = "Invoice payment " + spaced + " thanks";
            }
        } else if (kind < 87) {
            l.remittance = "Factuur nr. " + d.invoiceNumbers[0];
            if (kind < 82 && d.dossierId % 2 == 1 && d.dossierId < nDossiers) {  // both dossiers of the debtor
                const Candidate& e = dossiers[static_cast<std::size_t>(d.dossierId)];
                l.remittance += " en " + e.invoiceNumbers[0];
                l.amountMinor = d.openMinor + e.openMinor;
            }
        } else if (kind < 90) {
            l.counterpartyIban = iban(static_cast<std::uint64_t>(d.debtorId));
            l.remittance = "zie factuur";
        } else if (kind < 95) {
            l.counterpartyName = typo(d.debtorName, rng);
            l.remittance = "betaling";
        } else {
            l.counterpartyName = "Onbekende " + syllables(rng, 3);
            l.amountMinor = pick(1, 999);
            l.remittance = "gift " + std::to_string(pick(1, 1000000));
        }
    }

    // ---- the measured part ----
    const long rss0 = rssKb();
    const double c0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    MatchIndex index(std::move(dossiers));
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = cpuSeconds();
    const long rss1 = rssKb();

    constexpr int kKinds = 5;
    std::vector<std::map<std::string, long>> rules(static_cast<std::size_t>(threads));
    std::vector<std::array<long, kKinds>> kinds(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            kinds[static_cast<std::size_t>(t)].fill(0);
            for (long k = t; k < nLines; k += threads) {
                Verdict v = index.match(lines[static_cast<std::size_t>(k)]);
                ++kinds[static_cast<std::size_t>(t)][static_cast<std::size_t>(v.kind)];
                ++rules[static_cast<std::size_t>(t)][v.rule];
            }
        });
    }
    for (std::thread& th : pool) th.join();
    const auto t2 = std::chrono::steady_clock::now();
    const double c2 = cpuSeconds();

    std::array<long, kKinds> total{};
    std::map<std::string, long> byRule;
    for (int t = 0; t < threads; ++t) {
        for (int k = 0; k < kKinds; ++k) total[static_cast<std::size_t>(k)] += kinds[static_cast<std::size_t>(t)][static_cast<std::size_t>(k)];
        for (auto& [r, n] : rules[static_cast<std::size_t>(t)]) byRule[r] += n;
    }
    std::printf("dossiers=%ld lines=%ld threads=%d\n", nDossiers, nLines, threads);
    std::printf("build_s=%.3f match_s=%.3f total_s=%.3f lines_per_s=%.0f index_rss_mb=%.1f\n", seconds(t0, t1),
                seconds(t1, t2), seconds(t0, t2), static_cast<double>(nLines) / seconds(t1, t2),
                static_cast<double>(rss1 - rss0) / 1024.0);
    std::printf("build_cpu_s=%.3f match_cpu_s=%.3f\n", c1 - c0, c2 - c1);
    const char* names[kKinds] = {"apply", "suggest", "review", "undo", "unmatched"};
    for (int k = 0; k < kKinds; ++k) std::printf("kind %-10s %8ld\n", names[k], total[static_cast<std::size_t>(k)]);
    for (auto& [r, n] : byRule) std::printf("rule %-22s %8ld\n", r.c_str(), n);
    return 0;
}
