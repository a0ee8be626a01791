// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_STREAM_COPY_HPP
#define ZEROBUFFER_DETAIL_STREAM_COPY_HPP

/// @file
/// Copies that bypass the caches, and the rule for when a writer uses them
/// (see `copy_policy`).

#include <zerobuffer/copy_policy.hpp>

#include <cstddef>
#include <cstdint>

namespace zerobuffer::detail {

/// Whether this build copies with non-temporal stores (x86-64's SSE2);
/// elsewhere `stream_copy` is `memcpy` and no policy streams.
inline constexpr bool has_streaming_stores =
#if defined(__x86_64__) || defined(_M_X64)
    true;
#else
    false;
#endif

/// Copies `n` bytes from `src` to `dst` (which must not overlap) with
/// non-temporal stores where the CPU has them (x86-64), `memcpy` elsewhere.
/// Every store is globally visible when it returns (a store fence), so a
/// release store that follows publishes the bytes as after `memcpy`.
void stream_copy(std::byte* dst, const std::byte* src, std::size_t n) noexcept;

/// The size of the last-level cache the system reports (level 4 or 3; 32 MiB
/// when it reports neither).
std::uint64_t last_level_cache_bytes() noexcept;

/// The smallest frame a writer with `policy` copies with `stream_copy` into a
/// ring of `ring_size` bytes when the last-level cache holds `cache_bytes`;
/// UINT64_MAX for never.
std::uint64_t streaming_threshold(copy_policy policy, std::uint64_t ring_size,
                                  std::uint64_t cache_bytes) noexcept;

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_STREAM_COPY_HPP
