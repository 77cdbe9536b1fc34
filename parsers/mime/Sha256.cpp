#include "parsers/mime/Sha256.h"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace duegate::parsers::mime {
namespace {

constexpr std::uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compressPortable(std::uint32_t state[8], const unsigned char* data, std::size_t blocks) {
    for (; blocks > 0; --blocks, data += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = (std::uint32_t(data[4 * i]) << 24) | (std::uint32_t(data[4 * i + 1]) << 16) |
                   (std::uint32_t(data[4 * i + 2]) << 8) | std::uint32_t(data[4 * i + 3]);
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
            const std::uint32_t ch = (e & f) ^ (~e & g);
            const std::uint32_t t1 = h + S1 + ch + K[i] + w[i];
            const std::uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
            const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
            const std::uint32_t t2 = S0 + maj;
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#if defined(__x86_64__)
// Intel SHA extensions (the structure follows Intel's white paper "New Instructions Supporting the
// Secure Hash Algorithm on Intel Architecture Processors"); compiled for that target only and
// chosen at run time, so the binary still runs on CPUs without them.
__attribute__((target("sha,sse4.1"))) void compressShaNi(std::uint32_t state[8], const unsigned char* data,
                                                         std::size_t blocks) {
    const __m128i shufMask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
    tmp = _mm_shuffle_epi32(tmp, 0xB1);          // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);    // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);       // CDGH

    for (; blocks > 0; --blocks, data += 64) {
        const __m128i abefSave = state0, cdghSave = state1;
        __m128i msg, msg0, msg1, msg2, msg3;

        // Four rounds; a lambda would not inherit the target attribute, hence the macro.
#define DUEGATE_SHA_ROUNDS(m, k)                                                                   \
    do {                                                                                           \
        __m128i mk = _mm_add_epi32((m), _mm_loadu_si128(reinterpret_cast<const __m128i*>(&K[k]))); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, mk);                                        \
        mk = _mm_shuffle_epi32(mk, 0x0E);                                                          \
        state0 = _mm_sha256rnds2_epu32(state0, state1, mk);                                        \
    } while (0)

        msg0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 0)), shufMask);
        DUEGATE_SHA_ROUNDS(msg0, 0);
        msg1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16)), shufMask);
        DUEGATE_SHA_ROUNDS(msg1, 4);
        msg0 = _mm_sha256msg1_epu32(msg0, msg1);
        msg2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 32)), shufMask);
        DUEGATE_SHA_ROUNDS(msg2, 8);
        msg1 = _mm_sha256msg1_epu32(msg1, msg2);
        msg3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 48)), shufMask);
        DUEGATE_SHA_ROUNDS(msg3, 12);
        tmp = _mm_alignr_epi8(msg3, msg2, 4);
        msg0 = _mm_add_epi32(msg0, tmp);
        msg0 = _mm_sha256msg2_epu32(msg0, msg3);
        msg2 = _mm_sha256msg1_epu32(msg2, msg3);

        // Rounds 16..63: the message schedule rotates through msg0..msg3.
        __m128i* m[4] = {&msg0, &msg1, &msg2, &msg3};
        for (int k = 16, i = 0; k < 64; k += 4, ++i) {
            __m128i& cur = *m[i % 4];
            __m128i& next = *m[(i + 1) % 4];
            __m128i& prev = *m[(i + 3) % 4];
            DUEGATE_SHA_ROUNDS(cur, k);
            if (k < 60) {
                tmp = _mm_alignr_epi8(cur, prev, 4);
                next = _mm_add_epi32(next, tmp);
                next = _mm_sha256msg2_epu32(next, cur);
            }
            if (k < 52) prev = _mm_sha256msg1_epu32(prev, cur);
        }
        (void)msg;
#undef DUEGATE_SHA_ROUNDS
        state0 = _mm_add_epi32(state0, abefSave);
        state1 = _mm_add_epi32(state1, cdghSave);
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);     // ABEF
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), state1);
}

bool cpuHasShaNi() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool sha = (b >> 29) & 1;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
    return sha && sse41 && ssse3;
}
#endif

using CompressFn = void (*)(std::uint32_t*, const unsigned char*, std::size_t);

CompressFn pickCompress() {
#if defined(__x86_64__)
    if (cpuHasShaNi()) return compressShaNi;
#endif
    return compressPortable;
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    static const CompressFn compress = pickCompress();
    std::uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t full = bytes.size() / 64;
    if (full) compress(state, data, full);
    unsigned char tail[128] = {};
    const std::size_t rest = bytes.size() - full * 64;
    if (rest) std::memcpy(tail, data + full * 64, rest);
    tail[rest] = 0x80;
    const std::size_t tailBlocks = rest + 1 + 8 <= 64 ? 1 : 2;
    const std::uint64_t bits = static_cast<std::uint64_t>(bytes.size()) * 8;
    for (int i = 0; i < 8; ++i) tail[tailBlocks * 64 - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
    compress(state, tail, tailBlocks);

    static const char* hex = "0123456789abcdef";
    std::string out(64, '0');
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) {
            const auto byte = static_cast<unsigned char>(state[i] >> (24 - 8 * j));
            out[static_cast<std::size_t>(i * 8 + j * 2)] = hex[byte >> 4];
            out[static_cast<std::size_t>(i * 8 + j * 2 + 1)] = hex[byte & 0xF];
        }
    return out;
}

}  // namespace duegate::parsers::mime
