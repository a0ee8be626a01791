// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/stream_copy.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

#include <unistd.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

namespace zerobuffer::detail {

namespace {
constexpr std::uint64_t automatic_min_frame = std::uint64_t{256} << 10;
constexpr std::uint64_t streaming_min_frame = std::uint64_t{4} << 10;
constexpr std::uint64_t assumed_cache_bytes = std::uint64_t{32} << 20;
} // namespace

void stream_copy(std::byte* dst, const std::byte* src, std::size_t n) noexcept
{
#if defined(__x86_64__) || defined(_M_X64) // has_streaming_stores
    // Align the destination to 16 bytes (streaming stores need it); the
    // source may be anywhere (unaligned loads cost nothing extra here).
    const std::size_t head =
        std::min<std::size_t>(n, (16 - (reinterpret_cast<std::uintptr_t>(dst) & 15U)) & 15U);
    std::memcpy(dst, src, head);
    dst += head;
    src += head;
    n -= head;
    // Four stores per iteration fill a whole 64-byte line, which the CPU then
    // writes to memory without reading it first.
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const auto* s = reinterpret_cast<const __m128i*>(src + i);
        auto* d = reinterpret_cast<__m128i*>(dst + i);
        const __m128i a = _mm_loadu_si128(s);
        const __m128i b = _mm_loadu_si128(s + 1);
        const __m128i c = _mm_loadu_si128(s + 2);
        const __m128i e = _mm_loadu_si128(s + 3);
        _mm_stream_si128(d, a);
        _mm_stream_si128(d + 1, b);
        _mm_stream_si128(d + 2, c);
        _mm_stream_si128(d + 3, e);
    }
    // Streaming stores are weakly ordered: fence them before the caller's
    // commit publishes the frame.
    _mm_sfence();
    std::memcpy(dst + i, src + i, n - i);
#else
    std::memcpy(dst, src, n);
#endif
}

std::uint64_t last_level_cache_bytes() noexcept
{
    // Not the level-2 cache when these are missing (some VMs report none):
    // streaming into rings that a real L3 holds would make readers slower.
    for (const int name : {_SC_LEVEL4_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE}) {
        if (const long size = ::sysconf(name); size > 0) {
            return static_cast<std::uint64_t>(size);
        }
    }
    return assumed_cache_bytes;
}

std::uint64_t streaming_threshold(copy_policy policy, std::uint64_t ring_size,
                                  std::uint64_t cache_bytes) noexcept
{
    constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
    if (!has_streaming_stores || policy == copy_policy::cached) {
        return never;
    }
    if (policy == copy_policy::streaming) {
        return streaming_min_frame;
    }
    // A lap of a ring this large has pushed the lines a frame lands on out of
    // the cache by the time the writer comes back to them.
    return ring_size >= cache_bytes / 2 ? automatic_min_frame : never;
}

} // namespace zerobuffer::detail
